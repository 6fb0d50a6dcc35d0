import type { TesseraStore } from '@tessera/core';
import { argon2idHasher } from '@tessera/core/argon2';
import { beforeEach, describe, expect, it } from 'vitest';
import { CountingHasher, createTestTessera, goodPassword, uniqueEmail, type StoreLeg, type TestTessera, openTestTessera } from '../fixtures.js';
import { createVerifiedUser, expectTesseraError, mailedToken, signIn } from './helpers.js';

export function loginSuite(leg: StoreLeg): void {
  describe('email verification', () => {
    let t: TestTessera;

    beforeEach(async () => {
      ({ t } = await openTestTessera(leg));
    });

    it('verifies the address with the mailed token, once', async () => {
      const { user } = await t.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      const token = await mailedToken(t, 'user.registered', user.email);
      const verified = await t.tessera.api.verifyEmail({ token });
      expect(verified).toMatchObject({ id: user.id, emailVerified: true, emailVerifiedAt: t.clock.now().toISOString() });
      await expectTesseraError(t.tessera.api.verifyEmail({ token }), 'invalid_token');
      await t.deliver();
      expect(t.events.ofType('user.email_verified', user.email)).toHaveLength(1);
    });

    it('verifies once when one token is used by 10 requests at once', async () => {
      const { user } = await t.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      const token = await mailedToken(t, 'user.registered', user.email);
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => t.tessera.api.verifyEmail({ token })));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      await t.deliver();
      expect(t.events.ofType('user.email_verified', user.email)).toHaveLength(1);
    });

    it('refuses an expired token (24 hours by default)', async () => {
      const { user } = await t.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      const token = await mailedToken(t, 'user.registered', user.email);
      t.clock.advance(24 * 3600 + 1);
      await expectTesseraError(t.tessera.api.verifyEmail({ token }), 'invalid_token');
    });

    it('refuses garbage, and a verification token presented as a reset token', async () => {
      await expectTesseraError(t.tessera.api.verifyEmail({ token: 'not-a-token' }), 'invalid_token');
      const { user } = await t.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      const token = await mailedToken(t, 'user.registered', user.email);
      await expectTesseraError(t.tessera.api.resetPassword({ token, password: 'a brand new passphrase' }), 'invalid_token');
      await t.tessera.api.verifyEmail({ token });
    });

    it('resends a new token that supersedes the old one', async () => {
      const { user } = await t.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      const first = await mailedToken(t, 'user.registered', user.email);
      await t.tessera.api.resendVerification({ email: user.email.toUpperCase() });
      const second = await mailedToken(t, 'user.verification_resent', user.email);
      expect(second).not.toBe(first);
      await expectTesseraError(t.tessera.api.verifyEmail({ token: first }), 'invalid_token');
      await t.tessera.api.verifyEmail({ token: second });
    });

    it('answers a resend for an unknown or verified address the same way, sending nothing', async () => {
      await expect(t.tessera.api.resendVerification({ email: uniqueEmail('nobody') })).resolves.toBeUndefined();
      const verified = await createVerifiedUser(t);
      await expect(t.tessera.api.resendVerification({ email: verified.email })).resolves.toBeUndefined();
      await t.deliver();
      expect(t.events.ofType('user.verification_resent')).toHaveLength(0);
    });
  });

  describe('login', () => {
    let t: TestTessera;
    let store: TesseraStore;

    beforeEach(async () => {
      ({ store, t } = await openTestTessera(leg));
    });

    it('returns a bearer access token that verifies without the database, and an opaque refresh token', async () => {
      const user = await createVerifiedUser(t, { role: 'MANAGER' });
      const tokens = await t.tessera.api.login({ email: user.email, password: goodPassword });
      expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { id: user.id, lastLoginAt: t.clock.now().toISOString() } });
      expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const principal = await t.tessera.verifyAccessToken(tokens.accessToken);
      expect(principal).toMatchObject({ userId: user.id, role: 'MANAGER' });
      expect(principal?.expiresAt.toISOString()).toBe(tokens.accessTokenExpiresAt);
    });

    it('refuses an unverified address after checking the password', async () => {
      const { user } = await t.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      await expectTesseraError(t.tessera.api.login({ email: user.email, password: 'wrong password, wrong' }), 'invalid_credentials');
      await expectTesseraError(t.tessera.api.login({ email: user.email, password: goodPassword }), 'email_not_verified');
      const lenient = await createTestTessera(store, { verification: { requiredToLogin: false } });
      await lenient.tessera.api.login({ email: user.email, password: goodPassword });
    });

    it('answers an unknown email and a wrong password alike, at the cost of one hash verification each', async () => {
      const user = await createVerifiedUser(t);
      const before = t.hasher.verifications;
      const unknown = await expectTesseraError(t.tessera.api.login({ email: uniqueEmail('ghost'), password: goodPassword }), 'invalid_credentials');
      expect(t.hasher.verifications - before).toBe(1);
      const wrong = await expectTesseraError(t.tessera.api.login({ email: user.email, password: 'not the right password' }), 'invalid_credentials');
      expect(t.hasher.verifications - before).toBe(2);
      expect((wrong as Error).message).toBe((unknown as Error).message);
      expect(wrong.details).toEqual(unknown.details);
    });

    it('locks the account after 5 consecutive failures, whatever the password, until the lock ends', async () => {
      const user = await createVerifiedUser(t);
      for (let attempt = 1; attempt <= 4; attempt += 1) {
        await expectTesseraError(t.tessera.api.login({ email: user.email, password: `wrong password ${attempt}` }), 'invalid_credentials');
      }
      const locking = await expectTesseraError(t.tessera.api.login({ email: user.email, password: 'wrong password 5' }), 'account_locked');
      expect(locking.details).toEqual({ retryAfterSeconds: 900 });
      const before = t.hasher.verifications;
      await expectTesseraError(t.tessera.api.login({ email: user.email, password: goodPassword }), 'account_locked');
      expect(t.hasher.verifications - before).toBe(1);
      await t.deliver();
      expect(t.events.ofType('user.account_locked', user.email)).toEqual([expect.objectContaining({ payload: expect.objectContaining({ reason: 'failed_logins' }) })]);
      t.clock.advance(901);
      await t.tessera.api.login({ email: user.email, password: goodPassword });
    });

    it('doubles the lock when the account locks again, up to the maximum', async () => {
      const user = await createVerifiedUser(t);
      const failFiveTimes = async () => {
        for (let attempt = 0; attempt < 5; attempt += 1) await t.tessera.api.login({ email: user.email, password: 'wrong wrong wrong' }).catch(() => undefined);
      };
      await failFiveTimes();
      t.clock.advance(901);
      await failFiveTimes();
      const second = await expectTesseraError(t.tessera.api.login({ email: user.email, password: goodPassword }), 'account_locked');
      expect(second.details).toEqual({ retryAfterSeconds: 1800 });
    });

    it('resets the failure count on a successful login', async () => {
      const user = await createVerifiedUser(t);
      for (let round = 0; round < 2; round += 1) {
        for (let attempt = 0; attempt < 4; attempt += 1) {
          await expectTesseraError(t.tessera.api.login({ email: user.email, password: 'wrong wrong wrong' }), 'invalid_credentials');
        }
        await t.tessera.api.login({ email: user.email, password: goodPassword });
      }
    });

    it('lets an admin unlock a locked account', async () => {
      const user = await createVerifiedUser(t);
      for (let attempt = 0; attempt < 5; attempt += 1) await t.tessera.api.login({ email: user.email, password: 'wrong wrong wrong' }).catch(() => undefined);
      await expectTesseraError(t.tessera.api.login({ email: user.email, password: goodPassword }), 'account_locked');
      const admin = await signIn(t, { role: 'ADMIN' });
      const unlocked = await t.tessera.api.unlockUser(admin.principal, user.id);
      expect(unlocked).toMatchObject({ lockedUntil: null, failedLoginCount: 0, status: 'active' });
      await t.tessera.api.login({ email: user.email, password: goodPassword });
    });

    it('tells a suspended or admin-locked user so only after the right password', async () => {
      const user = await createVerifiedUser(t);
      await t.tessera.api.suspendUser({ operator: 'test' }, user.id);
      await expectTesseraError(t.tessera.api.login({ email: user.email, password: 'wrong wrong wrong' }), 'invalid_credentials');
      await expectTesseraError(t.tessera.api.login({ email: user.email, password: goodPassword }), 'account_suspended');
      await t.tessera.api.reactivateUser({ operator: 'test' }, user.id);
      await t.tessera.api.lockUser({ operator: 'test' }, user.id);
      const locked = await expectTesseraError(t.tessera.api.login({ email: user.email, password: goodPassword }), 'account_locked');
      expect(locked.details).toBeUndefined();
    });

    it('rehashes the password on login when the hashing parameters changed', async () => {
      const weakHasher = argon2idHasher({ memoryKiB: 8192, iterations: 1 });
      const legacy = await createTestTessera(store, { passwordHasher: new CountingHasher(weakHasher) });
      const user = await createVerifiedUser(legacy);
      const current = await createTestTessera(store);
      await current.tessera.api.login({ email: user.email, password: goodPassword });
      expect(current.hasher.hashes).toBe(1);
      expect((await store.users.findByEmail(user.email))?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      await current.tessera.api.login({ email: user.email, password: goodPassword });
      expect(current.hasher.hashes).toBe(1);
    });
  });
}
