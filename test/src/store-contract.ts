import {
  hashToken,
  newRawToken,
  newUuidV7,
  StoreConflictError,
  cryptoRandom,
  type NewUserRecord,
  type TesseraStore,
  type TokenHash,
  type UserId,
} from '@tessera/core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, type StoreLeg } from './fixtures.js';

/**
 * The storage contract: what every Tessera store must do, run against each database engine.
 * Races are asserted with exact counts; on engines that run one statement at a time they hold
 * trivially, on Postgres they are real.
 */
export function describeStoreContract(leg: StoreLeg): void {
  describe(`store contract on ${leg.name}`, () => {
    let store: TesseraStore;
    const clock = new ManualClock();
    const now = () => clock.now();
    const newId = () => newUuidV7(clock, cryptoRandom) as UserId;
    const newUser = (overrides: Partial<NewUserRecord> = {}): NewUserRecord => ({
      id: newId(),
      email: `u${Math.random().toString(36).slice(2)}@example.com`,
      emailVerifiedAt: null,
      username: `user-${Math.random().toString(36).slice(2, 12)}`,
      passwordHash: null,
      role: 'AUTHENTICATED',
      createdAt: now(),
      ...overrides,
    });
    const newHash = async (): Promise<TokenHash> => hashToken(newRawToken(cryptoRandom));

    beforeEach(async () => {
      store = await leg.open();
    });
    afterAll(() => leg.close());

    describe('users', () => {
      it('inserts a user and finds it by id, email and username', async () => {
        const draft = newUser({ profile: { firstName: 'Ada', custom: { team: 'core' } } });
        const inserted = await store.users.insert(draft);
        expect(inserted).toMatchObject({ id: draft.id, email: draft.email, role: 'AUTHENTICATED', status: 'active', proStatus: 'none', failedLoginCount: 0 });
        expect(inserted.profile).toEqual({ firstName: 'Ada', lastName: null, bio: null, location: null, pictureUrl: null, linkedinUrl: null, githubUrl: null, custom: { team: 'core' } });
        expect(await store.users.findById(draft.id)).toEqual(inserted);
        expect(await store.users.findByEmail(draft.email)).toEqual(inserted);
        expect(await store.users.findByUsername(draft.username)).toEqual(inserted);
        expect(await store.users.findById(newId())).toBeNull();
      });

      it('reports a taken email or username as a conflict naming the field', async () => {
        const first = await store.users.insert(newUser());
        await expect(store.users.insert(newUser({ email: first.email }))).rejects.toSatisfy(
          (error: unknown) => error instanceof StoreConflictError && error.field === 'email',
        );
        await expect(store.users.insert(newUser({ username: first.username }))).rejects.toSatisfy(
          (error: unknown) => error instanceof StoreConflictError && error.field === 'username',
        );
      });

      it('refuses upper-case emails at the database, so uniqueness cannot be bypassed by case', async () => {
        await expect(store.users.insert(newUser({ email: 'Mixed@Example.com' }))).rejects.toThrow();
      });

      it('updates the given fields only and reports a missing user as null', async () => {
        const user = await store.users.insert(newUser({ profile: { bio: 'kept' } }));
        const later = new Date(now().getTime() + 1000);
        const updated = await store.users.update(user.id, { role: 'MANAGER', profile: { firstName: 'Grace' }, updatedAt: later });
        expect(updated).toMatchObject({ role: 'MANAGER', updatedAt: later, email: user.email });
        expect(updated?.profile).toMatchObject({ firstName: 'Grace', bio: 'kept' });
        expect(await store.users.update(newId(), { role: 'MANAGER', updatedAt: later })).toBeNull();
      });

      it('deletes a user with its tokens', async () => {
        const user = await store.users.insert(newUser());
        const tokenHash = await newHash();
        await store.oneTimeTokens.issue({ tokenHash, userId: user.id, purpose: 'verify_email', email: user.email, expiresAt: new Date(now().getTime() + 60_000), createdAt: now() });
        expect(await store.users.delete(user.id)).toBe(true);
        expect(await store.users.delete(user.id)).toBe(false);
        expect(await store.oneTimeTokens.find(tokenHash, 'verify_email', now())).toBeNull();
      });

      it('counts failed logins within the window and locks at the threshold', async () => {
        const user = await store.users.insert(newUser());
        const policy = (at: Date) => ({
          now: at,
          windowStart: new Date(at.getTime() - 900_000),
          threshold: 3,
          lockUntilByPriorLocks: [new Date(at.getTime() + 900_000), new Date(at.getTime() + 1_800_000)],
        });
        expect(await store.users.recordFailedLogin(user.id, policy(now()))).toEqual({ failedLoginCount: 1, lockedUntil: null, lockedNow: false });
        expect(await store.users.recordFailedLogin(user.id, policy(now()))).toMatchObject({ failedLoginCount: 2, lockedNow: false });
        const third = await store.users.recordFailedLogin(user.id, policy(now()));
        expect(third).toEqual({ failedLoginCount: 0, lockedUntil: new Date(now().getTime() + 900_000), lockedNow: true });
        expect((await store.users.findById(user.id))?.lockoutCount).toBe(1);
        // Failures outside the window start a new count.
        const muchLater = new Date(now().getTime() + 3_600_000);
        expect(await store.users.recordFailedLogin(user.id, policy(muchLater))).toMatchObject({ failedLoginCount: 1, lockedNow: false });
        expect(await store.users.recordFailedLogin(newId(), policy(now()))).toBeNull();
      });

      it('doubles the lock for a second lockout in a row', async () => {
        const user = await store.users.insert(newUser());
        const policy = { now: now(), windowStart: new Date(0), threshold: 1, lockUntilByPriorLocks: [new Date(now().getTime() + 1000), new Date(now().getTime() + 2000)] };
        expect((await store.users.recordFailedLogin(user.id, policy))?.lockedUntil).toEqual(new Date(now().getTime() + 1000));
        expect((await store.users.recordFailedLogin(user.id, policy))?.lockedUntil).toEqual(new Date(now().getTime() + 2000));
        expect((await store.users.recordFailedLogin(user.id, policy))?.lockedUntil).toEqual(new Date(now().getTime() + 2000));
      });

      it('counts every one of 20 concurrent failed logins', async () => {
        const user = await store.users.insert(newUser());
        const policy = { now: now(), windowStart: new Date(0), threshold: 1000, lockUntilByPriorLocks: [new Date(now().getTime() + 1000)] };
        await Promise.all(Array.from({ length: 20 }, () => store.users.recordFailedLogin(user.id, policy)));
        expect((await store.users.findById(user.id))?.failedLoginCount).toBe(20);
      });

      it('counts the other active admins', async () => {
        const admin = await store.users.insert(newUser({ role: 'ADMIN' }));
        expect(await store.users.countOtherActiveAdmins(admin.id)).toBe(0);
        const second = await store.users.insert(newUser({ role: 'ADMIN' }));
        expect(await store.users.countOtherActiveAdmins(admin.id)).toBe(1);
        await store.users.update(second.id, { status: 'suspended', updatedAt: now() });
        expect(await store.users.countOtherActiveAdmins(admin.id)).toBe(0);
      });
    });

    describe('one-time tokens', () => {
      const later = (seconds: number) => new Date(now().getTime() + seconds * 1000);

      it('consumes a live token exactly once and keeps purposes apart', async () => {
        const user = await store.users.insert(newUser());
        const tokenHash = await newHash();
        await store.oneTimeTokens.issue({ tokenHash, userId: user.id, purpose: 'reset_password', email: user.email, expiresAt: later(60), createdAt: now() });
        expect(await store.oneTimeTokens.consume(tokenHash, 'verify_email', now())).toBeNull();
        expect(await store.oneTimeTokens.find(tokenHash, 'reset_password', now())).toMatchObject({ userId: user.id, email: user.email });
        expect(await store.oneTimeTokens.consume(tokenHash, 'reset_password', now())).toMatchObject({ userId: user.id, purpose: 'reset_password' });
        expect(await store.oneTimeTokens.consume(tokenHash, 'reset_password', now())).toBeNull();
      });

      it('never hands out an expired token', async () => {
        const user = await store.users.insert(newUser());
        const tokenHash = await newHash();
        await store.oneTimeTokens.issue({ tokenHash, userId: user.id, purpose: 'verify_email', email: user.email, expiresAt: later(60), createdAt: now() });
        expect(await store.oneTimeTokens.find(tokenHash, 'verify_email', later(61))).toBeNull();
        expect(await store.oneTimeTokens.consume(tokenHash, 'verify_email', later(61))).toBeNull();
      });

      it('keeps only the newest token of a user and purpose', async () => {
        const user = await store.users.insert(newUser());
        const [first, second] = [await newHash(), await newHash()];
        await store.oneTimeTokens.issue({ tokenHash: first, userId: user.id, purpose: 'verify_email', email: user.email, expiresAt: later(60), createdAt: now() });
        await store.oneTimeTokens.issue({ tokenHash: second, userId: user.id, purpose: 'verify_email', email: user.email, expiresAt: later(60), createdAt: now() });
        expect(await store.oneTimeTokens.find(first, 'verify_email', now())).toBeNull();
        expect(await store.oneTimeTokens.find(second, 'verify_email', now())).not.toBeNull();
      });

      it('gives a token to exactly one of 20 concurrent consumers', async () => {
        const user = await store.users.insert(newUser());
        const tokenHash = await newHash();
        await store.oneTimeTokens.issue({ tokenHash, userId: user.id, purpose: 'verify_email', email: user.email, expiresAt: later(60), createdAt: now() });
        const results = await Promise.all(Array.from({ length: 20 }, () => store.oneTimeTokens.consume(tokenHash, 'verify_email', now())));
        expect(results.filter((result) => result !== null)).toHaveLength(1);
      });
    });

    describe('refresh tokens', () => {
      const startFamily = async (userId: UserId, overrides: { expiresInSeconds?: number; createdAt?: Date } = {}) => {
        const tokenHash = await newHash();
        const familyId = newUuidV7(clock, cryptoRandom);
        const createdAt = overrides.createdAt ?? now();
        await store.refreshTokens.insert({
          tokenHash,
          userId,
          familyId,
          familyExpiresAt: new Date(createdAt.getTime() + 86_400_000),
          expiresAt: new Date(createdAt.getTime() + (overrides.expiresInSeconds ?? 3600) * 1000),
          createdAt,
          userAgent: null,
          ipAddress: null,
        });
        return { tokenHash, familyId };
      };
      const rotate = async (presentedHash: TokenHash, at = now()) => {
        const nextHash = await newHash();
        const outcome = await store.refreshTokens.rotate({ presentedHash, nextHash, now: at, nextIdleExpiresAt: new Date(at.getTime() + 3_600_000), userAgent: null, ipAddress: null });
        return { outcome, nextHash };
      };

      it('rotates a live token into a successor of the same family', async () => {
        const user = await store.users.insert(newUser());
        const { tokenHash, familyId } = await startFamily(user.id);
        const { outcome, nextHash } = await rotate(tokenHash);
        expect(outcome).toMatchObject({ kind: 'rotated', userId: user.id, familyId });
        expect((await rotate(nextHash)).outcome).toMatchObject({ kind: 'rotated', familyId });
      });

      it('revokes the whole family when a rotated token is presented again', async () => {
        const user = await store.users.insert(newUser());
        const { tokenHash, familyId } = await startFamily(user.id);
        const { nextHash } = await rotate(tokenHash);
        expect((await rotate(tokenHash)).outcome).toEqual({ kind: 'reused', userId: user.id, familyId });
        expect((await rotate(nextHash)).outcome).toEqual({ kind: 'invalid' });
      });

      it('calls unknown and expired tokens invalid', async () => {
        const user = await store.users.insert(newUser());
        expect((await rotate(await newHash())).outcome).toEqual({ kind: 'invalid' });
        const { tokenHash } = await startFamily(user.id, { expiresInSeconds: 10 });
        expect((await rotate(tokenHash, new Date(now().getTime() + 11_000))).outcome).toEqual({ kind: 'invalid' });
      });

      it('lets at most one of 20 concurrent rotations of one token win', async () => {
        const user = await store.users.insert(newUser());
        const { tokenHash } = await startFamily(user.id);
        const results = await Promise.all(Array.from({ length: 20 }, () => rotate(tokenHash)));
        const winners = results.filter((result) => result.outcome.kind === 'rotated');
        expect(winners).toHaveLength(1);
        expect(results.filter((result) => result.outcome.kind === 'reused')).toHaveLength(19);
        // The reuse revoked the family, including the winner's successor.
        expect((await rotate(winners[0]!.nextHash)).outcome).toEqual({ kind: 'invalid' });
      });

      it('revokes one family on logout and every family of a user on demand', async () => {
        const user = await store.users.insert(newUser());
        const a = await startFamily(user.id);
        const b = await startFamily(user.id);
        expect(await store.refreshTokens.revokeFamilyOf(a.tokenHash, now())).toEqual({ userId: user.id, familyId: a.familyId });
        expect(await store.refreshTokens.revokeFamilyOf(await newHash(), now())).toBeNull();
        expect((await rotate(a.tokenHash)).outcome.kind).toBe('invalid');
        const { nextHash } = await rotate(b.tokenHash);
        await store.refreshTokens.revokeAllForUser(user.id, now());
        expect((await rotate(nextHash)).outcome.kind).toBe('invalid');
      });

      it('revokes the least recently used families beyond the cap', async () => {
        const user = await store.users.insert(newUser());
        const oldest = await startFamily(user.id, { createdAt: new Date(now().getTime() - 3000) });
        const middle = await startFamily(user.id, { createdAt: new Date(now().getTime() - 2000) });
        const newest = await startFamily(user.id, { createdAt: new Date(now().getTime() - 1000) });
        await store.refreshTokens.revokeOldestFamilies(user.id, 2, now());
        expect((await rotate(oldest.tokenHash)).outcome.kind).toBe('invalid');
        expect((await rotate(middle.tokenHash)).outcome.kind).toBe('rotated');
        expect((await rotate(newest.tokenHash)).outcome.kind).toBe('rotated');
      });

      it('deletes every token of the sessions that ended, and only those', async () => {
        const user = await store.users.insert(newUser());
        const ended = await startFamily(user.id, { createdAt: new Date(now().getTime() - 90_000_000), expiresInSeconds: 60 });
        const endedSuccessor = await rotate(ended.tokenHash, new Date(now().getTime() - 89_990_000));
        expect(endedSuccessor.outcome.kind).toBe('rotated');
        const live = await startFamily(user.id);
        const liveSuccessor = await rotate(live.tokenHash);
        // The session that began 25 hours ago ended an hour ago (startFamily gives sessions 24 hours).
        expect(await store.refreshTokens.purgeEnded(now())).toBe(2);
        expect(await store.refreshTokens.purgeEnded(now())).toBe(0);
        // Gone: presenting the ended session's spent token is no longer "reuse", only "invalid".
        expect((await rotate(ended.tokenHash)).outcome.kind).toBe('invalid');
        // Kept: the live session's spent token still gives its reuse away.
        expect((await rotate(live.tokenHash)).outcome.kind).toBe('reused');
        expect((await rotate(liveSuccessor.nextHash)).outcome.kind).toBe('invalid');
      });

      describe('recording a login', () => {
        const newSessionRecord = async (userId: UserId, createdAt = now()) => ({
          tokenHash: await newHash(),
          userId,
          familyId: newUuidV7(clock, cryptoRandom),
          familyExpiresAt: new Date(createdAt.getTime() + 86_400_000),
          expiresAt: new Date(createdAt.getTime() + 3_600_000),
          createdAt,
          userAgent: 'agent/1.0',
          ipAddress: '203.0.113.7',
        });

        it('changes the user, starts the session and keeps the newest sessions up to the cap, the new one counted', async () => {
          const user = await store.users.insert(newUser());
          const other = await store.users.insert(newUser());
          const older = await startFamily(user.id, { createdAt: new Date(now().getTime() - 3000) });
          const newer = await startFamily(user.id, { createdAt: new Date(now().getTime() - 2000) });
          const othersSession = await startFamily(other.id, { createdAt: new Date(now().getTime() - 4000) });
          const session = await newSessionRecord(user.id);
          const changed = await store.users.recordLogin(user.id, { failedLoginCount: 0, lastLoginAt: now(), updatedAt: now() }, session, 2);
          expect(changed).toMatchObject({ id: user.id, lastLoginAt: now(), failedLoginCount: 0 });
          expect((await store.users.findById(user.id))?.lastLoginAt).toEqual(now());
          expect((await rotate(older.tokenHash)).outcome.kind).toBe('invalid');
          expect((await rotate(newer.tokenHash)).outcome.kind).toBe('rotated');
          expect((await rotate(othersSession.tokenHash)).outcome.kind).toBe('rotated');
          expect((await rotate(session.tokenHash)).outcome).toMatchObject({ kind: 'rotated', userId: user.id, familyId: session.familyId, familyExpiresAt: session.familyExpiresAt });
        });

        it('with a cap of one, leaves only the new session', async () => {
          const user = await store.users.insert(newUser());
          const earlier = await startFamily(user.id, { createdAt: new Date(now().getTime() - 1000) });
          const session = await newSessionRecord(user.id);
          expect(await store.users.recordLogin(user.id, { updatedAt: now() }, session, 1)).not.toBeNull();
          expect((await rotate(earlier.tokenHash)).outcome.kind).toBe('invalid');
          expect((await rotate(session.tokenHash)).outcome.kind).toBe('rotated');
        });

        it('writes nothing for a user that does not exist', async () => {
          const ghost = newId();
          const session = await newSessionRecord(ghost);
          expect(await store.users.recordLogin(ghost, { lastLoginAt: now(), updatedAt: now() }, session, 50)).toBeNull();
          expect((await rotate(session.tokenHash)).outcome.kind).toBe('invalid');
        });

        it('writes nothing when the session cannot be stored (its token is already taken)', async () => {
          const user = await store.users.insert(newUser());
          const taken = await startFamily(user.id, { createdAt: new Date(now().getTime() - 1000) });
          const session = { ...(await newSessionRecord(user.id)), tokenHash: taken.tokenHash };
          await expect(store.users.recordLogin(user.id, { lastLoginAt: now(), updatedAt: now() }, session, 50)).rejects.toThrow();
          expect((await store.users.findById(user.id))?.lastLoginAt).toBeNull();
          expect((await rotate(taken.tokenHash)).outcome.kind).toBe('rotated');
        });
      });
    });

    describe('bootstrap and transactions', () => {
      it('gives the first-admin slot to exactly one of 20 concurrent claimers', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, () => store.transaction((tx) => tx.bootstrap.claimFirstAdmin())));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.bootstrap.claimFirstAdmin()).toBe(false);
      });

      it('releases the slot when the claiming transaction rolls back', async () => {
        await expect(
          store.transaction(async (tx) => {
            expect(await tx.bootstrap.claimFirstAdmin()).toBe(true);
            throw new Error('roll back');
          }),
        ).rejects.toThrow('roll back');
        expect(await store.bootstrap.claimFirstAdmin()).toBe(true);
      });

      it('commits all of a transaction or, when it throws, nothing', async () => {
        const kept = newUser();
        const dropped = newUser();
        await store.transaction(async (tx) => {
          await tx.users.insert(kept);
        });
        await expect(
          store.transaction(async (tx) => {
            const user = await tx.users.insert(dropped);
            await tx.outbox.enqueue([{ id: newId(), consumer: 'c', eventType: 'user.registered', eventId: newId(), payload: { userId: user.id }, sealedSecrets: null, createdAt: now() }]);
            await tx.users.insert(newUser({ email: kept.email }));
          }),
        ).rejects.toBeInstanceOf(StoreConflictError);
        expect(await store.users.findById(kept.id)).not.toBeNull();
        expect(await store.users.findById(dropped.id)).toBeNull();
        expect(await store.outbox.countByState()).toEqual({ pending: 0, delivered: 0, dead: 0 });
      });

      it('answers a ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('outbox', () => {
      const enqueue = async (count: number, consumer = 'mail') => {
        const messages = Array.from({ length: count }, (_, index) => ({
          id: newId(),
          consumer,
          eventType: 'user.registered',
          eventId: newId(),
          payload: { index },
          sealedSecrets: 'v1.sealed',
          createdAt: now(),
        }));
        await store.outbox.enqueue(messages);
        return messages;
      };
      const claim = (claimToken: string, limit = 10, at = now(), leaseSeconds = 60) =>
        store.outbox.claim({ now: at, leaseUntil: new Date(at.getTime() + leaseSeconds * 1000), claimToken, limit });

      it('claims due messages once, counts the attempt, and delivers them', async () => {
        const [message] = await enqueue(1);
        const claimed = await claim('a');
        expect(claimed).toHaveLength(1);
        expect(claimed[0]).toMatchObject({ id: message!.id, attempts: 1, payload: { index: 0 }, sealedSecrets: 'v1.sealed' });
        expect(await claim('b')).toHaveLength(0);
        expect(await store.outbox.markDelivered(message!.id, 'b', now())).toBe(false);
        expect(await store.outbox.markDelivered(message!.id, 'a', now())).toBe(true);
        expect(await store.outbox.countByState()).toEqual({ pending: 0, delivered: 1, dead: 0 });
      });

      it('hands a message whose lease expired to the next claimer', async () => {
        await enqueue(1);
        expect(await claim('a', 10, now(), 60)).toHaveLength(1);
        expect(await claim('b', 10, new Date(now().getTime() + 61_000))).toHaveLength(1);
      });

      it('schedules a failed message for retry, or marks it dead without its secrets', async () => {
        const [message] = await enqueue(1);
        await claim('a');
        const retryAt = new Date(now().getTime() + 30_000);
        expect(await store.outbox.markFailed(message!.id, 'a', { error: 'smtp down', retryAt })).toBe(true);
        expect(await claim('b')).toHaveLength(0);
        const [again] = await claim('c', 10, retryAt);
        expect(again).toMatchObject({ attempts: 2, lastError: 'smtp down' });
        await store.outbox.markFailed(message!.id, 'c', { error: 'still down', retryAt: null });
        expect(await store.outbox.countByState()).toEqual({ pending: 0, delivered: 0, dead: 1 });
        expect(await claim('d', 10, new Date(now().getTime() + 86_400_000))).toHaveLength(0);
      });

      it('splits concurrent claims so no message is claimed twice', async () => {
        await enqueue(30);
        const batches = await Promise.all(Array.from({ length: 6 }, (_, index) => claim(`claimer-${index}`, 10)));
        const ids = batches.flat().map((message) => message.id);
        expect(ids).toHaveLength(30);
        expect(new Set(ids).size).toBe(30);
      });

      it('purges delivered messages older than the retention', async () => {
        const messages = await enqueue(2);
        await claim('a');
        for (const message of messages) await store.outbox.markDelivered(message.id, 'a', now());
        expect(await store.outbox.purgeDelivered(now())).toBe(0);
        expect(await store.outbox.purgeDelivered(new Date(now().getTime() + 1))).toBe(2);
      });
    });

    describe('audit log', () => {
      it('appends entries and lists them newest first', async () => {
        const targetId = newId();
        for (const [offset, action] of [[0, 'user.locked'], [1000, 'user.unlocked']] as const) {
          await store.audit.append({
            id: newId(),
            at: new Date(now().getTime() + offset),
            actorId: null,
            actorLabel: 'operator:cli',
            action,
            targetId,
            before: { status: 'active' },
            after: { status: 'locked' },
            ipAddress: '203.0.113.7',
            userAgent: 'test',
          });
        }
        const entries = await store.audit.listForTarget(targetId, 10);
        expect(entries.map((entry) => entry.action)).toEqual(['user.unlocked', 'user.locked']);
        expect(entries[0]).toMatchObject({ actorLabel: 'operator:cli', before: { status: 'active' }, ipAddress: '203.0.113.7' });
      });
    });
  });
}
