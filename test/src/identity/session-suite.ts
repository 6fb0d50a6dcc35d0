import { isTesseraError, type TesseraStore } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestTessera, goodPassword, type StoreLeg, type TestTessera, openTestTessera } from '../fixtures.js';
import { createVerifiedUser, expectTesseraError, signIn } from './helpers.js';

export function sessionSuite(leg: StoreLeg): void {
  describe('sessions and refresh tokens', () => {
    let t: TestTessera;
    let store: TesseraStore;

    beforeEach(async () => {
      ({ store, t } = await openTestTessera(leg));
    });

    it('rotates the refresh token on every use', async () => {
      const { tokens, user } = await signIn(t);
      t.clock.advance(60);
      const next = await t.tessera.api.refresh({ refreshToken: tokens.refreshToken });
      expect(next.refreshToken).not.toBe(tokens.refreshToken);
      expect(await t.tessera.verifyAccessToken(next.accessToken)).toMatchObject({ userId: user.id, sessionId: (await t.tessera.verifyAccessToken(tokens.accessToken))?.sessionId });
      const third = await t.tessera.api.refresh({ refreshToken: next.refreshToken });
      expect(third.refreshToken).not.toBe(next.refreshToken);
    });

    it('revokes the whole family when a rotated refresh token is reused', async () => {
      const { tokens } = await signIn(t);
      const next = await t.tessera.api.refresh({ refreshToken: tokens.refreshToken });
      await expectTesseraError(t.tessera.api.refresh({ refreshToken: tokens.refreshToken }), 'invalid_refresh_token');
      await expectTesseraError(t.tessera.api.refresh({ refreshToken: next.refreshToken }), 'invalid_refresh_token');
    });

    it('lets at most one of 10 simultaneous refreshes with one token succeed, and then revokes the family', async () => {
      const { tokens } = await signIn(t);
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => t.tessera.api.refresh({ refreshToken: tokens.refreshToken })));
      const succeeded = results.filter((result) => result.status === 'fulfilled');
      expect(succeeded.length).toBeLessThanOrEqual(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(isTesseraError(result.reason, 'invalid_refresh_token')).toBe(true);
      }
      for (const result of succeeded) {
        await expectTesseraError(t.tessera.api.refresh({ refreshToken: result.value.refreshToken }), 'invalid_refresh_token');
      }
    });

    it('ends a session left unused for the idle timeout, and any session at its absolute lifetime', async () => {
      const idle = await signIn(t);
      t.clock.advance(7 * 86_400 + 1);
      await expectTesseraError(t.tessera.api.refresh({ refreshToken: idle.tokens.refreshToken }), 'invalid_refresh_token');

      let { refreshToken } = (await signIn(t)).tokens;
      for (let day = 6; day <= 24; day += 6) {
        t.clock.advance(6 * 86_400);
        ({ refreshToken } = await t.tessera.api.refresh({ refreshToken }));
      }
      t.clock.advance(6 * 86_400);
      await expectTesseraError(t.tessera.api.refresh({ refreshToken }), 'invalid_refresh_token');
    });

    it('ends the session on logout, and treats an unknown token at logout as done', async () => {
      const { tokens } = await signIn(t);
      await t.tessera.api.logout({ refreshToken: tokens.refreshToken });
      await expectTesseraError(t.tessera.api.refresh({ refreshToken: tokens.refreshToken }), 'invalid_refresh_token');
      await expect(t.tessera.api.logout({ refreshToken: 'x'.repeat(43) })).resolves.toBeUndefined();
    });

    it('refuses refresh for a locked, suspended or deleted user', async () => {
      for (const end of ['lockUser', 'suspendUser', 'deleteUser'] as const) {
        const { tokens, user } = await signIn(t);
        await t.tessera.api[end]({ operator: 'test' }, user.id);
        await expectTesseraError(t.tessera.api.refresh({ refreshToken: tokens.refreshToken }), 'invalid_refresh_token');
      }
    });

    it('caps the live sessions of one user, ending the least recently used', async () => {
      const capped = await createTestTessera(store, { tokens: { keys: [...t.tessera.options.tokens.keys], maxSessionsPerUser: 2 } });
      const user = await createVerifiedUser(capped);
      const sessions = [];
      for (let index = 0; index < 3; index += 1) {
        sessions.push(await capped.tessera.api.login({ email: user.email, password: goodPassword }));
        capped.clock.advance(1);
      }
      await expectTesseraError(capped.tessera.api.refresh({ refreshToken: sessions[0]!.refreshToken }), 'invalid_refresh_token');
      await capped.tessera.api.refresh({ refreshToken: sessions[1]!.refreshToken });
      await capped.tessera.api.refresh({ refreshToken: sessions[2]!.refreshToken });
    });

    it('issues refreshed access tokens with the role the user holds now', async () => {
      const { tokens, user } = await signIn(t);
      await store.users.update(user.id as never, { role: 'MANAGER', updatedAt: t.clock.now() });
      const next = await t.tessera.api.refresh({ refreshToken: tokens.refreshToken });
      expect((await t.tessera.verifyAccessToken(next.accessToken))?.role).toBe('MANAGER');
    });
  });
}
