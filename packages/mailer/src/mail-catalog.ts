import { roleRank, type DeliveredToken, type TesseraEvent, type UserRole } from '@tessera/core';
import { toHeaderText, toMultilineText } from './header-text.js';
import type { MailedEventType, MailTemplateName, TokenLinkName } from './mailed-events.js';

/** Values handed to a template besides the ones every mail gets. */
export type MailVariables = Readonly<Record<string, string | number | boolean | null>>;

/** How one event type becomes a mail. */
export interface MailDefinition<K extends MailedEventType> {
  readonly template: MailTemplateName;
  /** The link with a one-time token the mail carries, if any. */
  readonly tokenLink: TokenLinkName | null;
  /** The address the mail goes to, from the payload. */
  recipient(event: TesseraEvent<K>): string;
  /** The one-time token for `tokenLink`. */
  token(event: TesseraEvent<K>): DeliveredToken | null;
  /** The variables of this event type. */
  variables(event: TesseraEvent<K>): MailVariables;
}

const roleLabels: Readonly<Record<UserRole, string>> = { ADMIN: 'administrator', MANAGER: 'manager', AUTHENTICATED: 'member' };
const maxReasonLength = 1000;

const toUser = (event: TesseraEvent): string => event.payload.user.email;
const noToken = (): null => null;
const noVariables = (): MailVariables => ({});
const notice = (template: MailTemplateName): MailDefinition<MailedEventType> => ({ template, tokenLink: null, recipient: toUser, token: noToken, variables: noVariables });
const inline = (address: string): string => toHeaderText(address, 254);
const reason = (value: string | null): MailVariables => {
  const text = value === null ? '' : toMultilineText(value, maxReasonLength);
  return { reason: text === '' ? null : text };
};

/** Every mailed event type: its template, recipient, token and variables. */
export const mailCatalog: { readonly [K in MailedEventType]: MailDefinition<K> } = {
  'user.registered': {
    template: 'verify-email',
    tokenLink: 'verifyEmail',
    recipient: toUser,
    token: (event) => event.secrets?.verification ?? null,
    variables: () => ({ isResent: false }),
  },
  'user.verification_resent': {
    template: 'verify-email',
    tokenLink: 'verifyEmail',
    recipient: toUser,
    token: (event) => event.secrets?.verification ?? null,
    variables: () => ({ isResent: true }),
  },
  'user.password_reset_requested': {
    template: 'reset-password',
    tokenLink: 'resetPassword',
    recipient: toUser,
    token: (event) => event.secrets?.reset ?? null,
    variables: ({ payload }) => ({ initiatedBy: payload.initiatedBy, initiatedByAdmin: payload.initiatedBy === 'admin' }),
  },
  'user.password_changed': {
    ...notice('password-changed'),
    variables: ({ payload }) => ({ via: payload.via, viaChange: payload.via === 'change', viaReset: payload.via === 'reset', viaAdmin: payload.via === 'admin' }),
  },
  'user.account_locked': {
    ...notice('account-locked'),
    variables: ({ payload }) => ({
      reason: payload.reason,
      isTemporary: payload.reason === 'failed_logins',
      lockedUntil: payload.lockedUntil,
      lockedUntilText: payload.lockedUntil === null ? null : formatUtc(payload.lockedUntil),
    }),
  },
  'user.account_unlocked': {
    ...notice('account-unlocked'),
    variables: ({ payload }) => ({ reason: payload.reason, byAdmin: payload.reason === 'admin', byPasswordReset: payload.reason === 'password_reset' }),
  },
  'user.suspended': notice('account-suspended'),
  'user.reactivated': notice('account-reactivated'),
  'user.role_changed': {
    ...notice('role-changed'),
    variables: ({ payload }) => ({
      from: payload.from,
      to: payload.to,
      fromLabel: roleLabels[payload.from],
      toLabel: roleLabels[payload.to],
      isPromotion: roleRank[payload.to] > roleRank[payload.from],
    }),
  },
  'user.deleted': {
    ...notice('account-deleted'),
    variables: ({ payload }) => ({ by: payload.by, byAdmin: payload.by === 'admin' }),
  },
  'user.registration_attempted': notice('registration-attempted'),
  'user.email_change_requested': {
    template: 'confirm-email-change',
    tokenLink: 'confirmEmailChange',
    recipient: (event) => event.payload.newEmail,
    token: (event) => event.secrets?.confirmation ?? null,
    variables: ({ payload }) => ({ newEmail: inline(payload.newEmail), currentEmail: inline(payload.user.email) }),
  },
  'user.email_changed': {
    template: 'email-changed',
    tokenLink: null,
    recipient: (event) => event.payload.previousEmail,
    token: noToken,
    variables: ({ payload }) => ({ previousEmail: inline(payload.previousEmail), newEmail: inline(payload.user.email), newEmailMasked: maskAddress(inline(payload.user.email)), byAdmin: payload.by === 'admin' }),
  },
  'pro.requested': notice('pro-requested'),
  'pro.approved': notice('pro-approved'),
  'pro.rejected': { ...notice('pro-rejected'), variables: ({ payload }) => reason(payload.reason) },
  'pro.revoked': { ...notice('pro-revoked'), variables: ({ payload }) => reason(payload.reason) },
};

/** The definition of one mailed event type. */
export function mailDefinitionOf(type: MailedEventType): MailDefinition<MailedEventType> {
  return mailCatalog[type];
}

/** The token link an event type's mail carries, or `null`. */
export function linkNameOf(type: MailedEventType): TokenLinkName | null {
  return mailCatalog[type].tokenLink;
}

/** `2026-11-24 12:15 UTC`: unambiguous whatever the reader's time zone. */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `a•••@example.com`: enough for the owner to recognise, little for anyone else. */
function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${[...address.slice(0, at)][0] ?? ''}•••${address.slice(at)}`;
}
