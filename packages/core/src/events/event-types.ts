/**
 * Tessera's typed domain events. Each event is written to the transactional outbox in the same
 * transaction as the change that caused it, then delivered (at least once) to every consumer
 * that subscribed to it, e.g. the mailer.
 *
 * Payloads carry data, never prose: a consumer builds its message from the event `type` and
 * the fields, so mails and notifications can be localised. Secrets (one-time tokens) travel
 * apart from the payload, encrypted at rest, and are wiped once delivered.
 */
import type { UserRole } from '../auth/roles.js';
import type { RawToken } from '../tokens/opaque-token.js';

/** The user an event is about, as far as a message about it needs. */
export interface EventUser {
  readonly id: string;
  readonly email: string;
  readonly username: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
}

/** A one-time token on its way to its owner. */
export interface DeliveredToken {
  readonly token: RawToken;
  /** ISO-8601 UTC. */
  readonly expiresAt: string;
}

/** Plain payload of each event type. Timestamps are ISO-8601 UTC strings. */
export interface EventPayloads {
  /** A user registered; the mailer sends the verification mail. */
  'user.registered': { readonly user: EventUser };
  /** A new verification mail was asked for. */
  'user.verification_resent': { readonly user: EventUser };
  'user.email_verified': { readonly user: EventUser };
  /** A password reset was started: by the user (forgot password) or by an administrator. */
  'user.password_reset_requested': { readonly user: EventUser; readonly initiatedBy: 'user' | 'admin' };
  'user.password_changed': { readonly user: EventUser; readonly via: 'change' | 'reset' | 'admin' };
  'user.account_locked': {
    readonly user: EventUser;
    readonly reason: 'failed_logins' | 'admin';
    /** `null` for an admin lock, which lasts until an admin unlocks. */
    readonly lockedUntil: string | null;
  };
  'user.account_unlocked': { readonly user: EventUser; readonly reason: 'admin' | 'password_reset' };
  'user.suspended': { readonly user: EventUser };
  'user.reactivated': { readonly user: EventUser };
  'user.role_changed': { readonly user: EventUser; readonly from: UserRole; readonly to: UserRole };
  'user.deleted': { readonly user: EventUser; readonly by: 'self' | 'admin' };
  /** Someone tried to register with this user's address (silent registration mode). */
  'user.registration_attempted': { readonly user: EventUser };
  /** A change of address was asked for; the confirmation goes to `newEmail`. */
  'user.email_change_requested': { readonly user: EventUser; readonly newEmail: string };
  /** The address changed (by its owner, through the confirmation link, or by an admin); the notice goes to `previousEmail`. */
  'user.email_changed': { readonly user: EventUser; readonly previousEmail: string; readonly by: 'self' | 'admin' };
  'pro.requested': { readonly user: EventUser };
  'pro.approved': { readonly user: EventUser };
  'pro.rejected': { readonly user: EventUser; readonly reason: string | null };
  'pro.revoked': { readonly user: EventUser; readonly reason: string | null };
}

/** Secrets of the events that carry one; every other event has none. */
export interface EventSecretsByType {
  'user.registered': { readonly verification: DeliveredToken };
  'user.verification_resent': { readonly verification: DeliveredToken };
  'user.password_reset_requested': { readonly reset: DeliveredToken };
  'user.email_change_requested': { readonly confirmation: DeliveredToken };
}

/** Every event type. */
export type EventType = keyof EventPayloads;

/** The secrets of an event type (`undefined` for most). */
export type EventSecrets<T extends EventType> = T extends keyof EventSecretsByType ? EventSecretsByType[T] : undefined;

/** An event as delivered to a consumer. A union over `type`, so a `switch` narrows it. */
export type TesseraEvent<T extends EventType = EventType> = {
  [K in T]: {
    /** Unique per event; the same for every consumer and every retry (use it to de-duplicate). */
    readonly id: string;
    readonly type: K;
    readonly occurredAt: Date;
    readonly payload: EventPayloads[K];
    readonly secrets: EventSecrets<K>;
    /** How many deliveries to this consumer were tried before, this one included. */
    readonly attempt: number;
  };
}[T];

/**
 * Receives events from the outbox. Delivery is at least once: make `handle` idempotent
 * (e.g. key side effects by `event.id`). A rejection schedules a retry with backoff.
 *
 * @example
 * ```ts
 * const audit: EventConsumer<'user.role_changed'> = {
 *   name: 'slack-role-alerts',
 *   events: ['user.role_changed'],
 *   async handle(event) { await postToSlack(`${event.payload.user.username}: ${event.payload.to}`); },
 * };
 * ```
 */
export interface EventConsumer<T extends EventType = EventType> {
  /** Stable name; pending deliveries are kept under it across restarts. */
  readonly name: string;
  /** The event types to receive, or `'all'`. */
  readonly events: readonly T[] | 'all';
  handle(event: TesseraEvent<T>): Promise<void>;
}
