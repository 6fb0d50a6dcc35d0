import { isTesseraError, type TesseraStore, type UserId } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { goodPassword, uniqueEmail, type StoreLeg, type TestTessera, openTestTessera } from '../fixtures.js';
import { createVerifiedUser, expectTesseraError, mailedToken, signIn } from './helpers.js';

export function administrationSuite(leg: StoreLeg): void {
  describe('user administration', () => {
    let t: TestTessera;
    let store: TesseraStore;

    beforeEach(async () => {
      ({ store, t } = await openTestTessera(leg));
    });

    it('lets an admin create, read, update and delete a user, auditing each change', async () => {
      const admin = await signIn(t, { role: 'ADMIN' });
      const meta = { ipAddress: '203.0.113.9', userAgent: 'admin-console' };
      const created = await t.tessera.api.createUser(admin.principal, { email: uniqueEmail('new'), role: 'MANAGER', profile: { firstName: 'Nia' } }, meta);
      expect(created).toMatchObject({ role: 'MANAGER', emailVerified: false, hasPassword: false, profile: { firstName: 'Nia' } });
      await mailedToken(t, 'user.registered', created.email);

      expect(await t.tessera.api.getUser(admin.principal, created.id)).toEqual(created);
      const newEmail = uniqueEmail('renamed');
      const updated = await t.tessera.api.updateUser(admin.principal, created.id, { email: newEmail, emailVerified: true }, meta);
      expect(updated).toMatchObject({ email: newEmail, emailVerified: true });
      await t.deliver();
      expect(t.events.ofType('user.email_changed', newEmail)).toEqual([expect.objectContaining({ payload: expect.objectContaining({ previousEmail: created.email }) })]);

      await t.tessera.api.deleteUser(admin.principal, created.id, meta);
      await expectTesseraError(t.tessera.api.getUser(admin.principal, created.id), 'user_not_found');
      const audit = await store.audit.listForTarget(created.id, 10);
      expect(audit.map((entry) => entry.action)).toEqual(['user.deleted', 'user.updated', 'user.created']);
      expect(audit[1]).toMatchObject({ actorId: admin.user.id, actorLabel: `user:${admin.user.id}`, ipAddress: '203.0.113.9', userAgent: 'admin-console' });
      // The deletion erased the person from the trail: what happened stays, who it was does not.
      expect(audit[1]?.before).toMatchObject({ email: '[erased]', username: '[erased]', profile: '[erased]', role: 'MANAGER' });
      expect(audit[1]?.after).toMatchObject({ email: '[erased]', emailVerified: true });
      expect(audit[0]).toMatchObject({ targetId: created.id, before: { role: 'MANAGER', status: 'active' }, after: null });
      expect(JSON.stringify(audit)).not.toContain(created.email);
      expect(JSON.stringify(audit)).not.toContain(newEmail);
    });

    it('lets a user read only itself, and refuses it every administrative operation', async () => {
      const alice = await signIn(t);
      const bob = await createVerifiedUser(t);
      expect(await t.tessera.api.getUser(alice.principal, alice.user.id)).toMatchObject({ id: alice.user.id });
      await expectTesseraError(t.tessera.api.getUser(alice.principal, bob.id), 'forbidden');
      await expectTesseraError(t.tessera.api.updateUser(alice.principal, bob.id, { profile: { firstName: 'Mallory' } }), 'forbidden');
      await expectTesseraError(t.tessera.api.deleteUser(alice.principal, bob.id), 'forbidden');
      await expectTesseraError(t.tessera.api.setUserRole(alice.principal, alice.user.id, { role: 'ADMIN' }), 'forbidden');
      await expectTesseraError(t.tessera.api.createUser(alice.principal, { email: uniqueEmail() }), 'forbidden');
      await expectTesseraError(t.tessera.api.lockUser(alice.principal, bob.id), 'forbidden');
      // A caller without any grant learns nothing about which ids exist.
      await expectTesseraError(t.tessera.api.lockUser(alice.principal, '018f0000-0000-7000-8000-000000000000'), 'forbidden');
    });

    it('keeps managers below admins: no ADMIN grants, no touching an admin', async () => {
      const manager = await signIn(t, { role: 'MANAGER' });
      const admin = await createVerifiedUser(t, { role: 'ADMIN' });
      const user = await createVerifiedUser(t);
      await expectTesseraError(t.tessera.api.createUser(manager.principal, { email: uniqueEmail(), role: 'ADMIN' }), 'forbidden');
      await expectTesseraError(t.tessera.api.setUserRole(manager.principal, user.id, { role: 'ADMIN' }), 'forbidden');
      await expectTesseraError(t.tessera.api.setUserRole(manager.principal, admin.id, { role: 'AUTHENTICATED' }), 'forbidden');
      await expectTesseraError(t.tessera.api.lockUser(manager.principal, admin.id), 'forbidden');
      await expectTesseraError(t.tessera.api.deleteUser(manager.principal, user.id), 'forbidden');
      expect(await t.tessera.api.setUserRole(manager.principal, user.id, { role: 'MANAGER' })).toMatchObject({ role: 'MANAGER' });
      expect(await t.tessera.api.getUser(manager.principal, admin.id)).toMatchObject({ role: 'ADMIN' });
    });

    it('refuses anyone changing their own role', async () => {
      const admin = await signIn(t, { role: 'ADMIN' });
      await createVerifiedUser(t, { role: 'ADMIN' });
      await expectTesseraError(t.tessera.api.setUserRole(admin.principal, admin.user.id, { role: 'MANAGER' }), 'forbidden');
    });

    it('ends the sessions of a user whose role changes, and re-reads the role of every privileged caller', async () => {
      const admin = await signIn(t, { role: 'ADMIN' });
      const manager = await signIn(t, { role: 'MANAGER' });
      const target = await createVerifiedUser(t);
      t.clock.advance(1);
      await t.tessera.api.setUserRole(admin.principal, manager.user.id, { role: 'AUTHENTICATED' });
      await expectTesseraError(t.tessera.api.refresh({ refreshToken: manager.tokens.refreshToken }), 'invalid_refresh_token');
      // The old access token still says MANAGER, but privileged calls look at the stored role.
      expect(manager.principal.role).toBe('MANAGER');
      await expectTesseraError(t.tessera.api.getUser(manager.principal, target.id), 'unauthenticated');
      await t.deliver();
      expect(t.events.ofType('user.role_changed', manager.user.email).map((event) => [event.payload.from, event.payload.to])).toEqual(
        expect.arrayContaining([['MANAGER', 'AUTHENTICATED']]),
      );
    });

    it('never lets the last active admin be demoted, locked, suspended or deleted', async () => {
      const admin = await createVerifiedUser(t, { role: 'ADMIN' });
      const operator = { operator: 'test' };
      await expectTesseraError(t.tessera.api.setUserRole(operator, admin.id, { role: 'MANAGER' }), 'last_admin');
      await expectTesseraError(t.tessera.api.lockUser(operator, admin.id), 'last_admin');
      await expectTesseraError(t.tessera.api.suspendUser(operator, admin.id), 'last_admin');
      await expectTesseraError(t.tessera.api.deleteUser(operator, admin.id), 'last_admin');
      expect(await t.tessera.api.getUser(operator, admin.id)).toMatchObject({ role: 'ADMIN', status: 'active' });
    });

    it('keeps at least one admin when two admins are demoted and deleted at the same time', async () => {
      const first = await createVerifiedUser(t, { role: 'ADMIN' });
      const second = await createVerifiedUser(t, { role: 'ADMIN' });
      const third = await createVerifiedUser(t, { role: 'ADMIN' });
      const operator = { operator: 'test' };
      const results = await Promise.allSettled([
        t.tessera.api.setUserRole(operator, first.id, { role: 'AUTHENTICATED' }),
        t.tessera.api.deleteUser(operator, second.id),
        t.tessera.api.setUserRole(operator, third.id, { role: 'MANAGER' }),
        t.tessera.api.deleteUser(operator, first.id),
        t.tessera.api.suspendUser(operator, third.id),
      ]);
      for (const result of results) {
        if (result.status === 'rejected') expect(['last_admin', 'user_not_found']).toContain(isTesseraError(result.reason) ? result.reason.code : String(result.reason));
      }
      expect(await store.users.countOtherActiveAdmins('00000000-0000-7000-8000-000000000000' as UserId)).toBeGreaterThanOrEqual(1);
    });

    it('locks and suspends a user, ending its sessions; reactivation and unlock restore login', async () => {
      const admin = await signIn(t, { role: 'ADMIN' });
      const user = await signIn(t);
      t.clock.advance(1);
      expect(await t.tessera.api.lockUser(admin.principal, user.user.id)).toMatchObject({ status: 'locked' });
      await expectTesseraError(t.tessera.api.getMe(user.principal), 'unauthenticated');
      await expectTesseraError(t.tessera.api.login({ email: user.user.email, password: goodPassword }), 'account_locked');
      await t.tessera.api.unlockUser(admin.principal, user.user.id);
      await t.tessera.api.login({ email: user.user.email, password: goodPassword });
      await t.tessera.api.suspendUser(admin.principal, user.user.id);
      await expectTesseraError(t.tessera.api.login({ email: user.user.email, password: goodPassword }), 'account_suspended');
      await t.tessera.api.reactivateUser(admin.principal, user.user.id);
      await t.tessera.api.login({ email: user.user.email, password: goodPassword });
      const audit = await store.audit.listForTarget(user.user.id, 10);
      expect(audit.map((entry) => entry.action).slice(0, 4)).toEqual(['user.reactivated', 'user.suspended', 'user.unlocked', 'user.locked']);
    });

    it('answers malformed and unknown ids as user_not_found', async () => {
      const admin = await signIn(t, { role: 'ADMIN' });
      await expectTesseraError(t.tessera.api.getUser(admin.principal, 'not-a-uuid'), 'user_not_found');
      await expectTesseraError(t.tessera.api.getUser(admin.principal, '018f0000-0000-7000-8000-000000000000'), 'user_not_found');
    });

    it('creates users with a password that can log in at once when verified', async () => {
      const admin = await signIn(t, { role: 'ADMIN' });
      const created = await t.tessera.api.createUser(admin.principal, { email: uniqueEmail(), password: goodPassword, emailVerified: true });
      expect(created).toMatchObject({ role: 'AUTHENTICATED', hasPassword: true, emailVerified: true });
      await t.tessera.api.login({ email: created.email, password: goodPassword });
    });
  });
}
