import { isTesseraError, type TesseraStore } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestTessera, goodPassword, uniqueEmail, type StoreLeg, type TestTessera, openTestTessera } from '../fixtures.js';
import { expectTesseraError, mailedToken } from './helpers.js';

export function registrationSuite(leg: StoreLeg): void {
  describe('registration', () => {
    let store: TesseraStore;
    let t: TestTessera;

    beforeEach(async () => {
      ({ store, t } = await openTestTessera(leg));
    });

    it('registers an unverified AUTHENTICATED user with a normalised email and a generated username', async () => {
      const { user } = await t.tessera.api.register({ email: '  Ada.Lovelace@EXAMPLE.com ', password: goodPassword });
      expect(user).toMatchObject({ email: 'ada.lovelace@example.com', role: 'AUTHENTICATED', status: 'active', emailVerified: false, emailVerifiedAt: null });
      expect(user.username).toMatch(/^[a-z]+-[a-z]+-\d{4}$/);
      expect(user).not.toHaveProperty('passwordHash');
      expect(user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('publishes user.registered with a 256-bit verification token, stored only as a hash', async () => {
      const { user } = await t.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      const token = await mailedToken(t, 'user.registered', user.email);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const [event] = t.events.ofType('user.registered', user.email);
      expect(event?.payload.user).toEqual({ id: user.id, email: user.email, username: user.username, firstName: null, lastName: null });
      expect(JSON.stringify(event?.payload)).not.toContain(token);
    });

    it('treats an address in another case or with an IDN domain as the same address', async () => {
      await t.tessera.api.register({ email: 'grace@bücher.example', password: goodPassword });
      await expectTesseraError(t.tessera.api.register({ email: 'GRACE@xn--bcher-kva.example', password: goodPassword }), 'email_taken');
    });

    it('refuses bad input with field details and writes nothing', async () => {
      const error = await expectTesseraError(t.tessera.api.register({ email: 'not-an-email', password: goodPassword, role: 'ADMIN' } as never), 'validation_failed');
      expect(error.details?.fields).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: 'email' }), expect.objectContaining({ path: 'role', code: 'unrecognized_key' })]),
      );
      await t.deliver();
      expect(t.events.received).toHaveLength(0);
      expect(t.hasher.hashes).toBe(0);
    });

    it('refuses a password shorter than the policy and names the rule', async () => {
      const error = await expectTesseraError(t.tessera.api.register({ email: uniqueEmail(), password: 'short but 14ch' }), 'weak_password');
      expect(error.details?.fields).toEqual([expect.objectContaining({ path: 'password', code: 'too_short' })]);
    });

    it('accepts a 64-character password and refuses one beyond the maximum', async () => {
      await t.tessera.api.register({ email: uniqueEmail(), password: 'x'.repeat(64) });
      const error = await expectTesseraError(t.tessera.api.register({ email: uniqueEmail(), password: 'x'.repeat(257) }), 'weak_password');
      expect(error.details?.fields).toEqual([expect.objectContaining({ code: 'too_long' })]);
    });

    it('refuses a breached password through the pluggable check', async () => {
      const breached = await createTestTessera(store, { password: { isBreached: async (password) => password === 'password123456789' } });
      await expectTesseraError(breached.tessera.api.register({ email: uniqueEmail(), password: 'password123456789' }), 'weak_password');
      await breached.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
    });

    it('lets exactly one of 10 concurrent registrations with one email succeed; the others get email_taken', async () => {
      const email = uniqueEmail('race');
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => t.tessera.api.register({ email, password: goodPassword })));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const rejections = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(rejections.map((result) => (isTesseraError(result.reason) ? result.reason.code : String(result.reason)))).toEqual(Array(9).fill('email_taken'));
      await t.deliver();
      expect(t.events.ofType('user.registered', email)).toHaveLength(1);
    });

    it('makes nobody ADMIN by registering when bootstrap is off', async () => {
      const { user } = await t.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      expect(user.role).toBe('AUTHENTICATED');
    });

    it('with firstUserBecomesAdmin, makes exactly one of 20 concurrent first registrations ADMIN', async () => {
      const bootstrapping = await createTestTessera(store, { bootstrap: { firstUserBecomesAdmin: true } });
      const users = await Promise.all(Array.from({ length: 20 }, () => bootstrapping.tessera.api.register({ email: uniqueEmail('first'), password: goodPassword })));
      expect(users.filter(({ user }) => user.role === 'ADMIN')).toHaveLength(1);
      const { user: later } = await bootstrapping.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      expect(later.role).toBe('AUTHENTICATED');
    });

    it('keeps the bootstrap slot free when the first registration fails', async () => {
      const bootstrapping = await createTestTessera(store, { bootstrap: { firstUserBecomesAdmin: true } });
      await expectTesseraError(bootstrapping.tessera.api.register({ email: uniqueEmail(), password: 'too short' }), 'weak_password');
      const { user } = await bootstrapping.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      expect(user.role).toBe('ADMIN');
    });

    it('creates a verified ADMIN with createAdmin, which also takes the bootstrap slot', async () => {
      const admin = await t.tessera.api.createAdmin({ email: uniqueEmail('admin'), password: goodPassword });
      expect(admin).toMatchObject({ role: 'ADMIN', emailVerified: true });
      const bootstrapping = await createTestTessera(store, { bootstrap: { firstUserBecomesAdmin: true } });
      const { user } = await bootstrapping.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      expect(user.role).toBe('AUTHENTICATED');
      await expectTesseraError(t.tessera.api.createAdmin({ email: admin.email, password: goodPassword }), 'email_taken');
    });
  });
}
