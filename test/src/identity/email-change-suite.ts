import { beforeEach, describe, expect, it } from 'vitest';
import { goodPassword, openTestTessera, uniqueEmail, type StoreLeg, type TestTessera } from '../fixtures.js';
import { expectTesseraError, signIn } from './helpers.js';

async function confirmationToken(t: TestTessera, newEmail: string): Promise<string | undefined> {
  await t.deliver();
  const event = t.events.ofType('user.email_change_requested').filter((candidate) => candidate.payload.newEmail === newEmail).at(-1);
  return event?.secrets.confirmation.token;
}

export function emailChangeSuite(leg: StoreLeg): void {
  describe('email change', () => {
    let t: TestTessera;

    beforeEach(async () => {
      ({ t } = await openTestTessera(leg));
    });

    it('changes the address only when the link sent to the new address is followed, and notifies the old one', async () => {
      const { principal, user } = await signIn(t);
      const newEmail = uniqueEmail('new');
      await expectTesseraError(t.tessera.api.requestEmailChange(principal, { newEmail, password: 'not my password at all' }), 'invalid_current_password');
      await t.tessera.api.requestEmailChange(principal, { newEmail: newEmail.toUpperCase(), password: goodPassword });
      expect((await t.tessera.api.getMe(principal)).email).toBe(user.email);
      const token = await confirmationToken(t, newEmail);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const changed = await t.tessera.api.confirmEmailChange({ token: token! });
      expect(changed).toMatchObject({ email: newEmail, emailVerified: true });
      await expectTesseraError(t.tessera.api.confirmEmailChange({ token: token! }), 'invalid_token');
      await t.deliver();
      expect(t.events.ofType('user.email_changed', newEmail).map((event) => event.payload.previousEmail)).toEqual([user.email]);
      await t.tessera.api.login({ email: newEmail, password: goodPassword });
      await expectTesseraError(t.tessera.api.login({ email: user.email, password: goodPassword }), 'invalid_credentials');
    });

    it('answers the same for a taken address, and sends it nothing', async () => {
      const { principal } = await signIn(t);
      const other = await signIn(t);
      await t.tessera.api.requestEmailChange(principal, { newEmail: other.user.email, password: goodPassword });
      expect(await confirmationToken(t, other.user.email)).toBeUndefined();
    });

    it('refuses an expired or foreign token, and an address taken meanwhile', async () => {
      const { principal } = await signIn(t);
      const newEmail = uniqueEmail('later');
      await t.tessera.api.requestEmailChange(principal, { newEmail, password: goodPassword });
      const token = await confirmationToken(t, newEmail);
      await expectTesseraError(t.tessera.api.verifyEmail({ token: token! }), 'invalid_token');
      await t.tessera.api.register({ email: newEmail, password: goodPassword });
      await expectTesseraError(t.tessera.api.confirmEmailChange({ token: token! }), 'email_taken');

      const second = uniqueEmail('expiring');
      await t.tessera.api.requestEmailChange(principal, { newEmail: second, password: goodPassword });
      const stale = await confirmationToken(t, second);
      t.clock.advance(3601);
      await expectTesseraError(t.tessera.api.confirmEmailChange({ token: stale! }), 'invalid_token');
    });
  });
}
