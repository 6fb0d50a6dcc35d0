import { TesseraError } from '../errors.js';
import { newUuidV7 } from '../ids.js';
import type { UserId } from '../ids.js';
import type { NewRefreshToken, StoreRepositories, UserRecord } from '../ports/store.js';
import { refreshTokenInputSchema, type RefreshTokenInput, type SessionTokens } from '../schemas/account.js';
import { toUserView } from '../schemas/user-view.js';
import { hashToken, newRawToken, parseRawToken, tokenLogRef, type RawToken } from '../tokens/opaque-token.js';
import { parseInput } from '../validation.js';
import { secondsFrom, translateStoreErrors, type RequestMeta, type ServiceDeps } from './service-deps.js';

/** A session about to start: the row to store and what the caller gets once it is stored. */
export interface NewSession {
  readonly record: NewRefreshToken;
  readonly refreshToken: RawToken;
}

/** Prepares a new login session (refresh-token family) for a user: nothing is stored yet. */
export async function newSession(deps: ServiceDeps, userId: UserId, meta: RequestMeta): Promise<NewSession> {
  const { tokens } = deps.options;
  const now = deps.clock.now();
  const refreshToken = newRawToken(deps.random);
  const familyExpiresAt = secondsFrom(now, tokens.refreshTokenTtlSeconds);
  const record: NewRefreshToken = {
    tokenHash: await hashToken(refreshToken),
    userId,
    familyId: newUuidV7(deps.clock, deps.random),
    familyExpiresAt,
    expiresAt: earliest(secondsFrom(now, tokens.refreshTokenIdleTtlSeconds), familyExpiresAt),
    createdAt: now,
    userAgent: meta.userAgent ?? null,
    ipAddress: meta.ipAddress ?? null,
  };
  return { record, refreshToken };
}

/**
 * Starts a login session: a new refresh-token family and a first access token. Runs inside the
 * caller's transaction, so a session never exists without the change that granted it.
 */
export async function startSession(deps: ServiceDeps, tx: StoreRepositories, user: UserRecord, meta: RequestMeta): Promise<SessionTokens> {
  const session = await newSession(deps, user.id, meta);
  await tx.refreshTokens.insert(session.record);
  await tx.refreshTokens.revokeOldestFamilies(user.id, deps.options.tokens.maxSessionsPerUser, session.record.createdAt);
  return issueSession(deps, user, session);
}

/** The tokens of a session that has been stored: the refresh token and a fresh access token. */
export function issueSession(deps: ServiceDeps, user: UserRecord, session: NewSession): Promise<SessionTokens> {
  return sessionTokens(deps, user, session.record.familyId, session.refreshToken, session.record.expiresAt);
}

/**
 * Trades a refresh token for a new pair. The presented token is spent (rotation); presenting a
 * spent token again revokes its whole session, since one of the two holders is a thief.
 *
 * @throws TesseraError `invalid_refresh_token` for an unknown, expired, revoked or reused token,
 * or when the user is no longer allowed in (locked, suspended, deleted).
 */
export async function refresh(deps: ServiceDeps, input: RefreshTokenInput, meta: RequestMeta = {}): Promise<SessionTokens> {
  await deps.rateLimiter.consume('refresh', meta.ipAddress);
  const presented = parseRawToken(parseInput(refreshTokenInputSchema, input).refreshToken);
  if (!presented) throw new TesseraError('invalid_refresh_token');
  const { tokens } = deps.options;
  const now = deps.clock.now();
  const presentedHash = await hashToken(presented);
  const nextToken = newRawToken(deps.random);
  const nextHash = await hashToken(nextToken);
  const outcome = await translateStoreErrors(() =>
    deps.store.refreshTokens.rotate({
      presentedHash,
      nextHash,
      now,
      nextIdleExpiresAt: secondsFrom(now, tokens.refreshTokenIdleTtlSeconds),
      userAgent: meta.userAgent ?? null,
      ipAddress: meta.ipAddress ?? null,
    }),
  );
  if (outcome.kind === 'reused') {
    deps.logger.warn({ userId: outcome.userId, sessionId: outcome.familyId, tokenRef: tokenLogRef(presentedHash) }, 'tessera: refresh token reused; session revoked');
  }
  if (outcome.kind !== 'rotated') throw new TesseraError('invalid_refresh_token');

  const user = await translateStoreErrors(() => deps.store.users.findById(outcome.userId));
  if (!user || user.status !== 'active') {
    await translateStoreErrors(() => deps.store.refreshTokens.revokeFamilyOf(nextHash, now));
    throw new TesseraError('invalid_refresh_token');
  }
  const expiresAt = earliest(secondsFrom(now, tokens.refreshTokenIdleTtlSeconds), outcome.familyExpiresAt);
  return sessionTokens(deps, user, outcome.familyId, nextToken, expiresAt);
}

/** Ends the session of a refresh token. Unknown or already-ended tokens are not an error. */
export async function logout(deps: ServiceDeps, input: RefreshTokenInput): Promise<void> {
  const presented = parseRawToken(parseInput(refreshTokenInputSchema, input).refreshToken);
  if (!presented) return;
  const presentedHash = await hashToken(presented);
  await translateStoreErrors(() => deps.store.refreshTokens.revokeFamilyOf(presentedHash, deps.clock.now()));
}

async function sessionTokens(deps: ServiceDeps, user: UserRecord, sessionId: string, refreshToken: RawToken, refreshExpiresAt: Date): Promise<SessionTokens> {
  const access = await deps.accessTokens.sign({ userId: user.id, role: user.role, sessionId });
  return {
    tokenType: 'Bearer',
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt.toISOString(),
    expiresIn: Math.round((access.expiresAt.getTime() - deps.clock.now().getTime()) / 1000),
    refreshToken,
    refreshTokenExpiresAt: refreshExpiresAt.toISOString(),
    user: toUserView(user),
  };
}

function earliest(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}
