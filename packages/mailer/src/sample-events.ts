import type { EventUser, RawToken, TesseraEvent } from '@tessera/core';
import type { MailedEventType } from './mailed-events.js';

const occurredAt = new Date('2026-11-24T12:00:00.000Z');
const ada: EventUser = { id: '01936f4e-8c00-7000-8000-00000000a0da', email: 'ada@example.com', username: 'ada-lovelace', firstName: 'Ada', lastName: 'Lovelace' };
const anonymous: EventUser = { id: '01936f4e-8c00-7000-8000-0000000b0b00', email: 'bob@example.com', username: 'quiet-otter-4821', firstName: null, lastName: null };

function event<K extends MailedEventType>(type: K, payload: TesseraEvent<K>['payload'], secrets: TesseraEvent<K>['secrets']): TesseraEvent<MailedEventType> {
  return { id: '', type, occurredAt, payload, secrets, attempt: 1 } as TesseraEvent<MailedEventType>;
}

function token(validForSeconds: number): { token: RawToken; expiresAt: string } {
  return { token: 'sample-one-time-token' as RawToken, expiresAt: new Date(occurredAt.getTime() + validForSeconds * 1000).toISOString() };
}

/**
 * One event of every mailed type, in every variant its mail words differently (reset by the
 * user or by an admin, temporary or admin lock, a reason or none, a user without names, ...).
 * The mailer renders all of them at construction, so a broken template fails there; use them
 * with `mailer.preview()` to look at every mail.
 *
 * @returns fresh events with fixed ids, dates and a placeholder token.
 *
 * @example
 * ```ts
 * for (const event of sampleEvents()) {
 *   const mail = mailer.preview(event);
 *   console.log(`${event.type}: ${mail.subject}`);
 * }
 * ```
 */
export function sampleEvents(): Array<TesseraEvent<MailedEventType>> {
  const events = [
    event('user.registered', { user: ada }, { verification: token(86_400) }),
    event('user.verification_resent', { user: anonymous }, { verification: token(86_400) }),
    event('user.password_reset_requested', { user: ada, initiatedBy: 'user' }, { reset: token(1800) }),
    event('user.password_reset_requested', { user: anonymous, initiatedBy: 'admin' }, { reset: token(1800) }),
    event('user.password_changed', { user: ada, via: 'change' }, undefined),
    event('user.password_changed', { user: ada, via: 'reset' }, undefined),
    event('user.password_changed', { user: anonymous, via: 'admin' }, undefined),
    event('user.account_locked', { user: ada, reason: 'failed_logins', lockedUntil: '2026-11-24T12:15:00.000Z' }, undefined),
    event('user.account_locked', { user: anonymous, reason: 'admin', lockedUntil: null }, undefined),
    event('user.account_unlocked', { user: ada, reason: 'admin' }, undefined),
    event('user.account_unlocked', { user: anonymous, reason: 'password_reset' }, undefined),
    event('user.suspended', { user: ada }, undefined),
    event('user.reactivated', { user: ada }, undefined),
    event('user.role_changed', { user: ada, from: 'AUTHENTICATED', to: 'MANAGER' }, undefined),
    event('user.role_changed', { user: anonymous, from: 'ADMIN', to: 'AUTHENTICATED' }, undefined),
    event('user.deleted', { user: ada, by: 'self' }, undefined),
    event('user.deleted', { user: anonymous, by: 'admin' }, undefined),
    event('user.registration_attempted', { user: ada }, undefined),
    event('user.email_change_requested', { user: ada, newEmail: 'ada.lovelace@example.org' }, { confirmation: token(3600) }),
    event('user.email_changed', { user: { ...ada, email: 'ada.lovelace@example.org' }, previousEmail: 'ada@example.com', by: 'self' }, undefined),
    event('user.email_changed', { user: { ...ada, email: 'ada.lovelace@example.org' }, previousEmail: 'ada@example.com', by: 'admin' }, undefined),
    event('pro.requested', { user: ada }, undefined),
    event('pro.approved', { user: ada }, undefined),
    event('pro.rejected', { user: ada, reason: 'Please add a bio that says what you work on.\nThen ask again.' }, undefined),
    event('pro.rejected', { user: anonymous, reason: null }, undefined),
    event('pro.revoked', { user: ada, reason: 'The profile no longer matches the pro guidelines.' }, undefined),
    event('pro.revoked', { user: anonymous, reason: null }, undefined),
  ];
  return events.map((sample, index) => ({ ...sample, id: `01936f4e-8c00-7000-8000-${(index + 1).toString(16).padStart(12, '0')}` }));
}
