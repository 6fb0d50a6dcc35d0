import { beforeEach, describe, expect, it } from 'vitest';
import { goodPassword, uniqueEmail, type StoreLeg, type TestTessera, openTestTessera } from '../fixtures.js';
import { createVerifiedUser, expectTesseraError, mailedToken, signIn } from './helpers.js';

const newPassword = 'an entirely new passphrase';

export function accountSuite(leg: StoreLeg): void {
  describe('password reset', () => {
    let t: TestTessera;

    beforeEach(async () => {
      ({ t } = await openTestTessera(leg));
    });

    it('resets the password with the mailed token, once, and ends every session', async () => {
      const { user, tokens, principal } = await signIn(t);
      await t.tessera.api.forgotPassword({ email: user.email });
      const token = await mailedToken(t, 'user.password_reset_requested', user.email);
      t.clock.advance(1);
      await t.tessera.api.resetPassword({ token, password: newPassword });
      await expectTesseraError(t.tessera.api.resetPassword({ token, password: 'yet another passphrase' }), 'invalid_token');
      await expectTesseraError(t.tessera.api.login({ email: user.email, password: goodPassword }), 'invalid_credentials');
      await t.tessera.api.login({ email: user.email, password: newPassword });
      await expectTesseraError(t.tessera.api.refresh({ refreshToken: tokens.refreshToken }), 'invalid_refresh_token');
      await expectTesseraError(t.tessera.api.getMe(principal), 'unauthenticated');
      await t.deliver();
      expect(t.events.ofType('user.password_changed', user.email)).toEqual([expect.objectContaining({ payload: expect.objectContaining({ via: 'reset' }) })]);
    });

    it('keeps the token usable when the new password is refused', async () => {
      const user = await createVerifiedUser(t);
      await t.tessera.api.forgotPassword({ email: user.email });
      const token = await mailedToken(t, 'user.password_reset_requested', user.email);
      await expectTesseraError(t.tessera.api.resetPassword({ token, password: 'short' }), 'weak_password');
      await t.tessera.api.resetPassword({ token, password: newPassword });
    });

    it('refuses a reset token after 30 minutes', async () => {
      const user = await createVerifiedUser(t);
      await t.tessera.api.forgotPassword({ email: user.email });
      const token = await mailedToken(t, 'user.password_reset_requested', user.email);
      t.clock.advance(30 * 60 + 1);
      await expectTesseraError(t.tessera.api.resetPassword({ token, password: newPassword }), 'invalid_token');
    });

    it('answers for an unknown address exactly as for a known one, sending nothing', async () => {
      await expect(t.tessera.api.forgotPassword({ email: uniqueEmail('nobody') })).resolves.toBeUndefined();
      await t.deliver();
      expect(t.events.received).toHaveLength(0);
    });

    it('lifts a temporary lock and verifies the address', async () => {
      const { user } = await t.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      await t.tessera.api.forgotPassword({ email: user.email });
      const token = await mailedToken(t, 'user.password_reset_requested', user.email);
      for (let attempt = 0; attempt < 5; attempt += 1) await t.tessera.api.login({ email: user.email, password: 'wrong wrong wrong' }).catch(() => undefined);
      await expectTesseraError(t.tessera.api.login({ email: user.email, password: goodPassword }), 'account_locked');
      await t.tessera.api.resetPassword({ token, password: newPassword });
      const tokens = await t.tessera.api.login({ email: user.email, password: newPassword });
      expect(tokens.user.emailVerified).toBe(true);
    });
  });

  describe('own account', () => {
    let t: TestTessera;

    beforeEach(async () => {
      ({ t } = await openTestTessera(leg));
    });

    it('reads and updates the own profile', async () => {
      const { principal, user } = await signIn(t);
      expect(await t.tessera.api.getMe(principal)).toMatchObject({ id: user.id, email: user.email });
      const updated = await t.tessera.api.updateMe(principal, {
        profile: { firstName: '  Ada ', bio: 'Line one\nLine two', githubUrl: 'https://github.com/ada', linkedinUrl: 'https://www.linkedin.com/in/ada' },
      });
      expect(updated.profile).toMatchObject({ firstName: 'Ada', bio: 'Line one\nLine two', githubUrl: 'https://github.com/ada', lastName: null });
      const cleared = await t.tessera.api.updateMe(principal, { profile: { firstName: '', bio: null } });
      expect(cleared.profile).toMatchObject({ firstName: null, bio: null, githubUrl: 'https://github.com/ada' });
    });

    it('refuses every attempt to set role, status, verification or pro status through updateMe', async () => {
      const { principal } = await signIn(t);
      for (const field of ['role', 'status', 'emailVerified', 'pro', 'proStatus', 'email', 'id']) {
        const error = await expectTesseraError(t.tessera.api.updateMe(principal, { profile: {}, [field]: 'ADMIN' }), 'validation_failed');
        expect(error.details?.fields).toEqual([expect.objectContaining({ path: field, code: 'unrecognized_key' })]);
      }
      expect((await t.tessera.api.getMe(principal)).role).toBe('AUTHENTICATED');
    });

    it('refuses non-https and off-site profile URLs and overlong fields', async () => {
      const { principal } = await signIn(t);
      const cases = [
        { githubUrl: 'http://github.com/ada' },
        { githubUrl: 'https://github.com.evil.example/ada' },
        { linkedinUrl: 'https://example.com/in/ada' },
        { pictureUrl: 'javascript:alert(1)' },
        { firstName: 'x'.repeat(101) },
        { firstName: 'line\nbreak' },
        { bio: 'b'.repeat(501) },
      ];
      for (const profile of cases) {
        const error = await expectTesseraError(t.tessera.api.updateMe(principal, { profile }), 'validation_failed');
        expect(error.details?.fields).toEqual([expect.objectContaining({ path: `profile.${Object.keys(profile)[0]}` })]);
      }
    });

    it('changes the password with the current one, ending other sessions and starting a new one', async () => {
      const { principal, tokens, user } = await signIn(t);
      await expectTesseraError(t.tessera.api.changePassword(principal, { currentPassword: 'not my password', newPassword }), 'invalid_current_password');
      await expectTesseraError(t.tessera.api.changePassword(principal, { currentPassword: goodPassword, newPassword: 'short' }), 'weak_password');
      t.clock.advance(1);
      const fresh = await t.tessera.api.changePassword(principal, { currentPassword: goodPassword, newPassword });
      await expectTesseraError(t.tessera.api.refresh({ refreshToken: tokens.refreshToken }), 'invalid_refresh_token');
      await t.tessera.api.refresh({ refreshToken: fresh.refreshToken });
      const freshPrincipal = await t.tessera.verifyAccessToken(fresh.accessToken);
      expect(await t.tessera.api.getMe(freshPrincipal!)).toMatchObject({ id: user.id });
      await expectTesseraError(t.tessera.api.getMe(principal), 'unauthenticated');
      await t.tessera.api.login({ email: user.email, password: newPassword });
    });

    it('deletes the own account when the password confirms it', async () => {
      const { principal, user, tokens } = await signIn(t);
      await expectTesseraError(t.tessera.api.deleteMe(principal, { password: 'not my password' }), 'invalid_current_password');
      await t.tessera.api.deleteMe(principal, { password: goodPassword });
      await expectTesseraError(t.tessera.api.login({ email: user.email, password: goodPassword }), 'invalid_credentials');
      await expectTesseraError(t.tessera.api.refresh({ refreshToken: tokens.refreshToken }), 'invalid_refresh_token');
      await expectTesseraError(t.tessera.api.getMe(principal), 'unauthenticated');
      await t.deliver();
      expect(t.events.ofType('user.deleted', user.email)).toHaveLength(1);
    });

    it('keeps the last admin from deleting itself', async () => {
      const admin = await signIn(t, { role: 'ADMIN' });
      await expectTesseraError(t.tessera.api.deleteMe(admin.principal, { password: goodPassword }), 'last_admin');
      await createVerifiedUser(t, { role: 'ADMIN' });
      await t.tessera.api.deleteMe(admin.principal, { password: goodPassword });
    });
  });
}
