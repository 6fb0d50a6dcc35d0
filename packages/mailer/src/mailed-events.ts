import type { EventType } from '@tessera/core';

/**
 * Every event type the mailer sends a mail for. Others (e.g. `user.email_verified`) are never
 * subscribed, so the outbox holds no rows for them under the mailer's name.
 */
export const mailedEventTypes = [
  'user.registered',
  'user.verification_resent',
  'user.password_reset_requested',
  'user.password_changed',
  'user.account_locked',
  'user.account_unlocked',
  'user.suspended',
  'user.reactivated',
  'user.role_changed',
  'user.deleted',
  'user.registration_attempted',
  'user.email_change_requested',
  'user.email_changed',
  'pro.requested',
  'pro.approved',
  'pro.rejected',
  'pro.revoked',
] as const satisfies readonly EventType[];

/** An event type the mailer sends a mail for. */
export type MailedEventType = (typeof mailedEventTypes)[number];

/**
 * The bundled mail templates. Each has a subject, an HTML and a plain-text body
 * (`<name>.subject.hbs`, `<name>.html.hbs`, `<name>.text.hbs`).
 */
export const mailTemplateNames = [
  'verify-email',
  'reset-password',
  'password-changed',
  'account-locked',
  'account-unlocked',
  'account-suspended',
  'account-reactivated',
  'role-changed',
  'account-deleted',
  'registration-attempted',
  'confirm-email-change',
  'email-changed',
  'pro-requested',
  'pro-approved',
  'pro-rejected',
  'pro-revoked',
] as const;

/** The name of a mail template. */
export type MailTemplateName = (typeof mailTemplateNames)[number];

/** The links that carry a one-time token, each built from a template in the `links` option. */
export type TokenLinkName = 'verifyEmail' | 'resetPassword' | 'confirmEmailChange';

/** Whether a string names a mailed event type. */
export function isMailedEventType(value: unknown): value is MailedEventType {
  return typeof value === 'string' && (mailedEventTypes as readonly string[]).includes(value);
}

/** Whether a string names a mail template. */
export function isMailTemplateName(value: unknown): value is MailTemplateName {
  return typeof value === 'string' && (mailTemplateNames as readonly string[]).includes(value);
}
