import type { Actor, Authorizer, PermissionTarget } from '../auth/permissions.js';
import { TesseraError } from '../errors.js';
import type { EventPublisher } from '../events/event-publisher.js';
import type { EventUser } from '../events/event-types.js';
import { isUuid, type UserId } from '../ids.js';
import type { ResolvedOptions } from '../options.js';
import type { PasswordHash, PasswordHasher } from '../password/password-hasher.js';
import type { RateLimitStore } from '../ports/rate-limit-store.js';
import type { Clock, Logger, RandomSource } from '../ports/runtime.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import { StoreConflictError, StoreUnavailableError, type StoreRepositories, type TesseraStore, type UserRecord } from '../ports/store.js';
import type { AccessTokens, Principal } from '../tokens/access-token.js';

/** Everything a service needs, assembled once by `createTessera`. */
export interface ServiceDeps {
  readonly store: TesseraStore;
  readonly options: ResolvedOptions;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly logger: Logger;
  readonly hasher: PasswordHasher;
  readonly accessTokens: AccessTokens;
  readonly authorizer: Authorizer<string>;
  readonly events: EventPublisher;
  /** The configured request limits (per client address and per account). */
  readonly rateLimiter: RateLimiter;
  /** Where the limits (and the phantom lockout of unknown addresses) count. */
  readonly rateLimitStore: RateLimitStore;
  /** A hash of a random password, verified for unknown accounts so they cost the same. */
  readonly dummyHash: () => Promise<PasswordHash>;
  /** Called after a transaction that enqueued events commits, so a running outbox dispatcher delivers them now. */
  readonly onCommit: () => void;
}

/** Where a request came from; recorded in the audit log and on sessions. */
export interface RequestMeta {
  readonly ipAddress?: string | null;
  readonly userAgent?: string | null;
}

/**
 * A caller that is not a user: an operator running the CLI or a script. It acts with ADMIN
 * rights, is never the target of its own action, and is named in the audit log.
 */
export interface OperatorCaller {
  readonly operator: string;
}

/** Who calls a privileged service: a verified access token's principal, or an operator. */
export type Caller = Principal | OperatorCaller;

/** The acting party after its current state was read from the store. */
export interface ResolvedActor {
  /** For permission checks. */
  readonly actor: NonNullable<Actor>;
  /** The stored user, or `null` for an operator. */
  readonly user: UserRecord | null;
  /** How the audit log names the actor. */
  readonly label: string;
}

/**
 * Runs work in one transaction and turns storage failures into Tessera errors: a taken email
 * or username into `email_taken` / `username_taken`, an unreachable database into
 * `store_unavailable`.
 */
export async function transact<T>(deps: ServiceDeps, work: (tx: StoreRepositories) => Promise<T>): Promise<T> {
  let transaction: StoreRepositories | undefined;
  const result = await translateStoreErrors(() =>
    deps.store.transaction((tx) => {
      transaction = tx;
      return work(tx);
    }),
  );
  if (transaction !== undefined && deps.events.takeEnqueued(transaction)) deps.onCommit();
  return result;
}

/** Runs one store call, translating storage failures like `transact` does. */
export async function translateStoreErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StoreConflictError) {
      if (error.field === 'email') throw new TesseraError('email_taken', undefined, { cause: error });
      if (error.field === 'username') throw new TesseraError('username_taken', undefined, { cause: error });
      throw new TesseraError('conflict', undefined, { cause: error });
    }
    if (error instanceof StoreUnavailableError) throw new TesseraError('store_unavailable', undefined, { cause: error });
    throw error;
  }
}

/**
 * Re-reads the caller from the store: privileged decisions use the current role and status,
 * never the (up to one token lifetime old) role claim. A token issued before the user's
 * sessions were revoked is refused here at once.
 *
 * @throws TesseraError `unauthenticated` when the user is gone, not active, or the token predates a revocation.
 */
export async function resolveActor(deps: ServiceDeps, caller: Caller, tx: StoreRepositories = deps.store): Promise<ResolvedActor> {
  if ('operator' in caller) {
    return { actor: { id: `operator:${caller.operator}`, role: 'ADMIN' }, user: null, label: `operator:${caller.operator}` };
  }
  const user = await translateStoreErrors(() => tx.users.findById(caller.userId));
  if (!user || user.status !== 'active') throw new TesseraError('unauthenticated');
  if (user.sessionsValidAfter && caller.issuedAt.getTime() < user.sessionsValidAfter.getTime()) {
    throw new TesseraError('unauthenticated', 'The session was ended; sign in again.');
  }
  return { actor: { id: user.id, role: user.role }, user, label: `user:${user.id}` };
}

/** @throws TesseraError `forbidden` unless the permission table allows the action. */
export function authorize(deps: ServiceDeps, actor: Actor, action: string, target?: PermissionTarget): void {
  if (!deps.authorizer.can(actor, action, target)) throw new TesseraError('forbidden');
}

/**
 * Loads the target of a targeted action and authorises the action on it. A caller whose role
 * has no grant at all for the action is refused before the lookup, so it cannot probe which
 * ids exist.
 *
 * @throws TesseraError `forbidden`, `user_not_found`.
 */
export async function loadAuthorizedTarget(deps: ServiceDeps, tx: StoreRepositories, actor: NonNullable<Actor>, action: string, id: UserId): Promise<UserRecord> {
  if (!deps.authorizer.hasAnyGrant(actor, action)) throw new TesseraError('forbidden');
  const user = await tx.users.findById(id);
  if (!user) throw new TesseraError('user_not_found');
  authorize(deps, actor, action, user);
  return user;
}

/** The part of a user that events carry. */
export function toEventUser(user: UserRecord): EventUser {
  return { id: user.id, email: user.email, username: user.username, firstName: user.profile.firstName, lastName: user.profile.lastName };
}

/** `now + seconds`. */
export function secondsFrom(now: Date, seconds: number): Date {
  return new Date(now.getTime() + seconds * 1000);
}

/**
 * The instant from which access tokens stay valid after a revocation: truncated to the second,
 * because token `iat` claims are whole seconds and a token issued right after must still pass.
 */
export function revocationInstant(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 1000) * 1000);
}

/**
 * Narrows a user id from input. A malformed id cannot name a user, so it is answered like
 * any unknown one.
 *
 * @throws TesseraError `user_not_found`.
 */
export function parseUserId(id: string): UserId {
  if (!isUuid(id)) throw new TesseraError('user_not_found');
  return id as UserId;
}
