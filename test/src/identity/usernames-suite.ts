import { isTesseraError, type TesseraStore } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestTessera, goodPassword, openTestTessera, uniqueEmail, type StoreLeg, type TestTessera } from '../fixtures.js';
import { expectTesseraError, signIn } from './helpers.js';

export function usernamesSuite(leg: StoreLeg): void {
  describe('usernames', () => {
    let t: TestTessera;
    let store: TesseraStore;

    beforeEach(async () => {
      ({ store, t } = await openTestTessera(leg));
    });

    it('gives 1,000 registrations without a chosen username 1,000 distinct, URL-safe usernames', async () => {
      const usernames: string[] = [];
      for (let batch = 0; batch < 20; batch += 1) {
        const users = await Promise.all(Array.from({ length: 50 }, () => t.tessera.api.register({ email: uniqueEmail('many'), password: goodPassword })));
        usernames.push(...users.map(({ user }) => user.username));
      }
      expect(new Set(usernames).size).toBe(1000);
      for (const username of usernames) {
        expect(username).toMatch(/^[a-z]+-[a-z]+-\d{4}$/);
        expect(encodeURIComponent(username)).toBe(username);
      }
    }, 120_000);

    it('draws another name when a generated one is taken', async () => {
      // A word list of one word each and a fixed number: every draw is the same name.
      const cramped = await createTestTessera(store, {
        usernames: { adjectives: Array(10).fill('calm'), nouns: Array(10).fill('otter'), format: '{adjective}-{noun}' },
      });
      await cramped.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      await expectTesseraError(cramped.tessera.api.register({ email: uniqueEmail(), password: goodPassword }), 'username_taken');
      const roomy = await createTestTessera(store, { usernames: { format: 'member_{number}' } });
      const { user } = await roomy.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      expect(user.username).toMatch(/^member_\d{4}$/);
    });

    it('lets a user choose a username at registration, normalised with NFKC and lower-cased', async () => {
      const { user } = await t.tessera.api.register({ email: uniqueEmail(), password: goodPassword, username: 'Ａｄａ_Lovelace' });
      expect(user.username).toBe('ada_lovelace');
      await expectTesseraError(t.tessera.api.register({ email: uniqueEmail(), password: goodPassword, username: 'ADA_LOVELACE' }), 'username_taken');
    });

    it('refuses reserved names and their look-alikes, and names of the wrong shape, naming the rule', async () => {
      const { principal } = await signIn(t);
      const cases: Array<[string, string]> = [
        ['admin', 'reserved'],
        ['Admin', 'reserved'],
        ['adm1n', 'reserved'],
        ['r00t', 'reserved'],
        ['s-u-p-p-o-r-t', 'reserved'],
        ['ＡＤＭＩＮ', 'reserved'],
        ['ab', 'too_short'],
        ['a'.repeat(31), 'too_long'],
        ['-ada', 'invalid_format'],
        ['ada--lovelace', 'invalid_format'],
        ['ada lovelace', 'invalid_format'],
        ['ada.lovelace', 'invalid_format'],
        ['аdmin', 'invalid_format'], // Cyrillic а: not ASCII
        ['ada\u200blovelace', 'invalid_format'],
      ];
      for (const [username, rule] of cases) {
        const error = await expectTesseraError(t.tessera.api.changeUsername(principal, { username }), 'validation_failed');
        expect(error.details?.fields, username).toEqual([expect.objectContaining({ path: 'username', code: rule })]);
      }
      const custom = await createTestTessera(store, { usernames: { reserved: ['tessera-team'] } });
      await expectTesseraError(custom.tessera.api.register({ email: uniqueEmail(), password: goodPassword, username: 'tessera_team' }), 'validation_failed');
      expect((await custom.tessera.api.register({ email: uniqueEmail(), password: goodPassword, username: 'admin' })).user.username).toBe('admin');
    });

    it('changes a username, compared case-insensitively, and refuses one that is taken', async () => {
      const alice = await signIn(t);
      const bob = await signIn(t);
      expect((await t.tessera.api.changeUsername(alice.principal, { username: 'Alice-In-Chains' })).username).toBe('alice-in-chains');
      await expectTesseraError(t.tessera.api.changeUsername(bob.principal, { username: 'ALICE-in-chains' }), 'username_taken');
      expect((await t.tessera.api.getMe(bob.principal)).username).toBe(bob.user.username);
      // Choosing the name one already has is not a conflict.
      expect((await t.tessera.api.changeUsername(alice.principal, { username: 'alice-in-chains' })).username).toBe('alice-in-chains');
    });

    it('lets exactly one of two users who change to the same username at once win; the other gets username_taken', async () => {
      for (let round = 0; round < 5; round += 1) {
        const first = await signIn(t);
        const second = await signIn(t);
        const wanted = `contested-${round}`;
        const results = await Promise.allSettled([
          t.tessera.api.changeUsername(first.principal, { username: wanted }),
          t.tessera.api.changeUsername(second.principal, { username: wanted }),
        ]);
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        const loser = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
        expect(isTesseraError(loser?.reason, 'username_taken')).toBe(true);
        expect((await store.users.findByUsername(wanted))?.id).toBeDefined();
      }
    });

    it('lets an admin rename a user under the same rules', async () => {
      const admin = await signIn(t, { role: 'ADMIN' });
      const user = await signIn(t);
      expect((await t.tessera.api.updateUser(admin.principal, user.user.id, { username: 'Renamed-User' })).username).toBe('renamed-user');
      await expectTesseraError(t.tessera.api.updateUser(admin.principal, user.user.id, { username: 'root' }), 'validation_failed');
      await expectTesseraError(t.tessera.api.updateUser(admin.principal, user.user.id, { username: admin.user.username }), 'username_taken');
    });
  });
}
