/**
 * The storage port: what Tessera needs from a database, in its own terms. Plain records in
 * and out, never a query builder's types. Every operation that must be race-safe is ONE call
 * here (consume a token, count a failed login, rotate a refresh token, insert a unique user),
 * so the services never do a read followed by a write.
 */
import type { UserRole } from '../auth/roles.js';
import type { UserId } from '../ids.js';
import type { PasswordHash } from '../password/password-hasher.js';
import type { TokenHash } from '../tokens/opaque-token.js';

/** An account's standing. Temporary lockouts after failed logins are `lockedUntil`, not a status. */
export type UserStatus = 'active' | 'locked' | 'suspended';

/** Where a user is in the pro-status workflow. */
export type ProStatus = 'none' | 'pending' | 'approved' | 'rejected' | 'revoked';

/** The profile fields Tessera knows, plus the host app's own (`custom`). */
export interface UserProfile {
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly bio: string | null;
  readonly location: string | null;
  readonly pictureUrl: string | null;
  readonly linkedinUrl: string | null;
  readonly githubUrl: string | null;
  readonly custom: Readonly<Record<string, unknown>>;
}

/** A stored user, as the store returns it. */
export interface UserRecord {
  readonly id: UserId;
  /** Normalised: trimmed, lower-cased, IDN domain in punycode. Unique. */
  readonly email: string;
  readonly emailVerifiedAt: Date | null;
  /** Lower-case. Unique. */
  readonly username: string;
  /** `null` for an account without a password (e.g. imported; it must reset first). */
  readonly passwordHash: PasswordHash | null;
  readonly role: UserRole;
  readonly status: UserStatus;
  readonly proStatus: ProStatus;
  readonly proStatusChangedAt: Date | null;
  readonly proStatusReason: string | null;
  readonly profile: UserProfile;
  readonly failedLoginCount: number;
  readonly lastFailedLoginAt: Date | null;
  readonly lockedUntil: Date | null;
  /** How many temporary lockouts in a row; each doubles the next lock, up to the maximum. */
  readonly lockoutCount: number;
  readonly lastLoginAt: Date | null;
  /** Access tokens issued before this instant are refused by strict checks. */
  readonly sessionsValidAfter: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A user to insert. */
export type NewUserRecord = Pick<UserRecord, 'id' | 'email' | 'emailVerifiedAt' | 'username' | 'passwordHash' | 'role' | 'createdAt'> & {
  readonly profile?: Partial<UserProfile>;
};

/** The fields a service may change on a user. `updatedAt` is required on every change. */
export type UserPatch = Partial<
  Pick<
    UserRecord,
    | 'email'
    | 'emailVerifiedAt'
    | 'username'
    | 'passwordHash'
    | 'role'
    | 'status'
    | 'proStatus'
    | 'proStatusChangedAt'
    | 'proStatusReason'
    | 'failedLoginCount'
    | 'lockedUntil'
    | 'lockoutCount'
    | 'lastLoginAt'
    | 'sessionsValidAfter'
  >
> & {
  readonly profile?: Partial<UserProfile>;
  readonly updatedAt: Date;
};

/** The lockout rule, resolved for one failed attempt at `now`. */
export interface FailedLoginPolicy {
  readonly now: Date;
  /** Failures before this instant no longer count. */
  readonly windowStart: Date;
  /** Failures in the window that trigger a lock. */
  readonly threshold: number;
  /**
   * When the lock ends, by how many locks came before: `lockUntilByPriorLocks[n]` for the
   * (n+1)-th lock in a row; the last entry serves every later lock.
   */
  readonly lockUntilByPriorLocks: readonly Date[];
}

/** The account's lockout state right after a failure was counted. */
export interface FailedLoginOutcome {
  readonly failedLoginCount: number;
  /** Set when this failure locked the account (or it was already locked). */
  readonly lockedUntil: Date | null;
  /** Whether this very failure triggered the lock. */
  readonly lockedNow: boolean;
}

/** Raised by the store when a unique field is taken. */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
  constructor(
    /** The field whose value is taken, e.g. `email` or `username`. */
    readonly field: string,
    options?: { cause?: unknown },
  ) {
    super(`The ${field} is already taken.`, options);
  }
}

/** Raised by the store when the database cannot be reached or answered too late. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The fields users can be sorted by. Ties are broken by id, so every order is total. */
export type UserSortField = 'createdAt' | 'lastLoginAt' | 'email' | 'username';

/** Which users a listing includes; every given criterion must hold. */
export interface UserFilter {
  /** Case-insensitive substring of the email, username, first or last name. */
  readonly search?: string;
  readonly roles?: readonly UserRole[];
  readonly statuses?: readonly UserStatus[];
  readonly proStatuses?: readonly ProStatus[];
  readonly emailVerified?: boolean;
  readonly createdFrom?: Date;
  readonly createdTo?: Date;
  readonly lastLoginFrom?: Date;
  readonly lastLoginTo?: Date;
}

/** A position in a sorted listing: the sort value of a row (a never-logged-in user sorts as `null`) and its id. */
export interface UserListPosition {
  readonly value: string | Date | null;
  readonly id: UserId;
}

/** One page of a user listing. */
export interface UserListQuery {
  readonly filter: UserFilter;
  readonly sort: { readonly field: UserSortField; readonly direction: 'asc' | 'desc' };
  readonly limit: number;
  /** Keyset pagination: rows strictly after (or before) this position in the sort order. */
  readonly after?: UserListPosition;
  readonly before?: UserListPosition;
  /** Offset pagination (page numbers), for small result sets. */
  readonly offset?: number;
}

/** Users. */
export interface UserRepository {
  /** @throws StoreConflictError `email` or `username` when taken (case-insensitively). */
  insert(user: NewUserRecord): Promise<UserRecord>;
  findById(id: UserId): Promise<UserRecord | null>;
  findByEmail(email: string): Promise<UserRecord | null>;
  findByUsername(username: string): Promise<UserRecord | null>;
  /**
   * Changes a user. Returns `null` when no such user exists.
   * @throws StoreConflictError when the new email or username is taken.
   */
  update(id: UserId, patch: UserPatch): Promise<UserRecord | null>;
  /**
   * A successful login, atomically: changes the user (`patch`), stores the first refresh token
   * of a new session, and revokes the user's oldest live sessions beyond `keepSessions`, the new
   * one counted. Returns the changed user, or `null` (and nothing written) when no such user
   * exists. One round trip where the database allows it: logins are the busiest write.
   */
  recordLogin(id: UserId, patch: UserPatch, session: NewRefreshToken, keepSessions: number): Promise<UserRecord | null>;
  /** Deletes a user and, by cascade, its tokens. Returns whether a row was deleted. */
  delete(id: UserId): Promise<boolean>;
  /** Counts one failed login and locks the account at the threshold, atomically. */
  recordFailedLogin(id: UserId, policy: FailedLoginPolicy): Promise<FailedLoginOutcome | null>;
  /**
   * How many active ADMINs there are besides `excludingId` (for the last-admin rule). Inside a
   * transaction, the store serialises these checks (e.g. with an advisory lock), so two
   * concurrent demotions can never both see the other admin and leave none.
   */
  countOtherActiveAdmins(excludingId: UserId): Promise<number>;
  /**
   * One page of users in the sort order (ties by id). With `before`, the page ends just
   * before the position and is still returned in the sort order.
   */
  list(query: UserListQuery): Promise<UserRecord[]>;
  /**
   * How many users match a filter; with `upTo`, counting stops there (the answer is at most
   * `upTo`), so a count over millions of rows costs what `upTo` rows cost.
   */
  count(filter: UserFilter, options?: CountOptions): Promise<number>;
}

/** Options of a count: where it may stop. */
export interface CountOptions {
  /** Stop counting at this many rows. */
  readonly upTo?: number;
}

/** What a one-time token is for; a token for one purpose never serves another. */
export type OneTimeTokenPurpose = 'verify_email' | 'reset_password' | 'change_email';

/** A stored one-time token (verification, reset, email change). */
export interface OneTimeTokenRecord {
  readonly tokenHash: TokenHash;
  readonly userId: UserId;
  readonly purpose: OneTimeTokenPurpose;
  /** The email address the token was issued for; the token dies if the user's email changes. */
  readonly email: string;
  readonly expiresAt: Date;
  readonly createdAt: Date;
}

/** One-time tokens: single-use, expiring, newest-only per user and purpose. */
export interface OneTimeTokenRepository {
  /** Stores a token and deletes every older token of the same user and purpose. */
  issue(token: OneTimeTokenRecord): Promise<void>;
  /** Reads a live token without consuming it (to validate input before spending the token). */
  find(tokenHash: TokenHash, purpose: OneTimeTokenPurpose, now: Date): Promise<OneTimeTokenRecord | null>;
  /**
   * Deletes and returns a live token in one statement: of several concurrent callers with the
   * same token, exactly one gets it.
   */
  consume(tokenHash: TokenHash, purpose: OneTimeTokenPurpose, now: Date): Promise<OneTimeTokenRecord | null>;
  /** Deletes a user's tokens of one purpose (e.g. after the password changed). */
  deleteForUser(userId: UserId, purpose: OneTimeTokenPurpose): Promise<void>;
}

/** A refresh token to store: the first of a new session (family) or a rotated successor. */
export interface NewRefreshToken {
  readonly tokenHash: TokenHash;
  readonly userId: UserId;
  /** The session this token belongs to; every rotation keeps it. */
  readonly familyId: string;
  /** The session's absolute end; never extended by rotation. */
  readonly familyExpiresAt: Date;
  /** This token's own end: the earlier of the idle timeout and the family's end. */
  readonly expiresAt: Date;
  readonly createdAt: Date;
  readonly userAgent: string | null;
  readonly ipAddress: string | null;
}

/** The outcome of presenting a refresh token. */
export type RotationOutcome =
  | { readonly kind: 'rotated'; readonly userId: UserId; readonly familyId: string; readonly familyExpiresAt: Date }
  | { readonly kind: 'reused'; readonly userId: UserId; readonly familyId: string }
  | { readonly kind: 'invalid' };

/** What a rotation needs besides the presented token. */
export interface RotationRequest {
  readonly presentedHash: TokenHash;
  readonly nextHash: TokenHash;
  readonly now: Date;
  /** The successor's idle deadline; the store caps it at the family's end. */
  readonly nextIdleExpiresAt: Date;
  readonly userAgent: string | null;
  readonly ipAddress: string | null;
}

/** Refresh tokens, grouped in families (one family = one login session). */
export interface RefreshTokenRepository {
  insert(token: NewRefreshToken): Promise<void>;
  /**
   * Rotates atomically: a live token is marked used and its successor stored (`rotated`); a
   * token that was already rotated revokes its whole family (`reused`); anything else is
   * `invalid`. Of several concurrent rotations of one token, at most one is `rotated`.
   */
  rotate(request: RotationRequest): Promise<RotationOutcome>;
  /** Revokes the family of the presented token (logout). Returns the family, if any. */
  revokeFamilyOf(tokenHash: TokenHash, now: Date): Promise<{ userId: UserId; familyId: string } | null>;
  /** Revokes every session of a user (password change, lock, suspend, role change). */
  revokeAllForUser(userId: UserId, now: Date): Promise<void>;
  /** Revokes the oldest live families beyond `keep` (a cap on concurrent sessions). */
  revokeOldestFamilies(userId: UserId, keep: number, now: Date): Promise<void>;
  /**
   * Deletes every token of the sessions whose absolute end (`familyExpiresAt`) is at or before
   * `before`: none of them can be used again, and reuse detection no longer needs them.
   * Returns how many tokens went.
   */
  purgeEnded(before: Date): Promise<number>;
}

/** Ensures exactly one bootstrap administrator however many register at once. */
export interface BootstrapRepository {
  /**
   * Claims the one-and-only bootstrap slot inside the current transaction. `true` for exactly
   * one caller ever (unless that caller's transaction rolls back).
   */
  claimFirstAdmin(): Promise<boolean>;
}

/** An event waiting in the transactional outbox for one consumer. */
export interface OutboxMessage {
  readonly id: string;
  readonly consumer: string;
  readonly eventType: string;
  readonly eventId: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** Sealed (encrypted) secrets of the event, e.g. a verification token; `null` once delivered. */
  readonly sealedSecrets: string | null;
  readonly createdAt: Date;
  readonly attempts: number;
  readonly lastError: string | null;
}

/** A message to enqueue. */
export type NewOutboxMessage = Pick<OutboxMessage, 'id' | 'consumer' | 'eventType' | 'eventId' | 'payload' | 'sealedSecrets' | 'createdAt'>;

/** A claim on due messages, held until `leaseUntil`. */
export interface OutboxClaimRequest {
  readonly now: Date;
  readonly leaseUntil: Date;
  readonly claimToken: string;
  readonly limit: number;
}

/** The transactional outbox. */
export interface OutboxRepository {
  enqueue(messages: readonly NewOutboxMessage[]): Promise<void>;
  /**
   * Claims up to `limit` due, unclaimed (or lease-expired) messages, oldest first, and counts
   * an attempt on each. Concurrent claimers never get the same message while a lease holds.
   */
  claim(request: OutboxClaimRequest): Promise<OutboxMessage[]>;
  /** Marks a claimed message delivered and wipes its secrets; `false` if the claim was lost. */
  markDelivered(id: string, claimToken: string, now: Date): Promise<boolean>;
  /**
   * Releases a claimed message after a failed attempt: retried at `retryAt`, or dead when
   * `retryAt` is `null`. `false` if the claim was lost.
   */
  markFailed(id: string, claimToken: string, failure: { error: string; retryAt: Date | null }): Promise<boolean>;
  /** Deletes delivered messages older than `before`; returns how many. */
  purgeDelivered(before: Date): Promise<number>;
  /** Counts messages by state (for health and tests). */
  countByState(): Promise<Readonly<Record<'pending' | 'delivered' | 'dead', number>>>;
}

/** One administrative action, kept forever (the library offers no edit or delete). */
export interface AuditEventRecord {
  readonly id: string;
  readonly at: Date;
  /** `null` when the system or the CLI acted without a user. */
  readonly actorId: string | null;
  readonly actorLabel: string;
  readonly action: string;
  readonly targetId: string | null;
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
}

/** Which audit entries a listing includes; every given criterion must hold. */
export interface AuditFilter {
  readonly actorId?: string;
  readonly targetId?: string;
  readonly actions?: readonly string[];
  readonly from?: Date;
  readonly to?: Date;
}

/** One page of the audit log, newest first (ties by id). */
export interface AuditListQuery {
  readonly filter: AuditFilter;
  readonly limit: number;
  /** Keyset pagination: entries older than (`after`) or newer than (`before`) this one. */
  readonly after?: { readonly at: Date; readonly id: string };
  readonly before?: { readonly at: Date; readonly id: string };
  readonly offset?: number;
}

/** The audit log: append-only. Nothing here edits an entry, except the erasure of a deleted person's data. */
export interface AuditRepository {
  append(event: AuditEventRecord): Promise<void>;
  /** Newest first; for tests and the admin listing. */
  listForTarget(targetId: string, limit: number): Promise<AuditEventRecord[]>;
  /** One page, newest first; with `before`, still returned newest first. */
  list(query: AuditListQuery): Promise<AuditEventRecord[]>;
  /** How many entries match a filter; with `upTo`, at most that many (counting stops there). */
  count(filter: AuditFilter, options?: CountOptions): Promise<number>;
  /**
   * Erases a deleted person's personal data from the trail: in entries about them, the fields
   * that identify them (email, username, names, profile) become `"[erased]"`; in entries by
   * them, their IP address and user agent are removed. Ids stay: the trail keeps a
   * pseudonymous record of what happened. Returns how many entries changed.
   */
  eraseSubject(subjectId: string): Promise<number>;
}

/** The repositories, bound to one transaction (or to autocommit). */
export interface StoreRepositories {
  readonly users: UserRepository;
  readonly oneTimeTokens: OneTimeTokenRepository;
  readonly refreshTokens: RefreshTokenRepository;
  readonly bootstrap: BootstrapRepository;
  readonly outbox: OutboxRepository;
  readonly audit: AuditRepository;
}

/**
 * A Tessera store. Each repository call outside `transaction` is atomic on its own;
 * `transaction` runs several as one unit that commits when `work` resolves and rolls back
 * when it throws.
 */
export interface TesseraStore extends StoreRepositories {
  transaction<T>(work: (tx: StoreRepositories) => Promise<T>): Promise<T>;
  /** Round-trips to the database (for health checks); rejects when it is unreachable. */
  ping(): Promise<void>;
}
