import type { AdminUserView, TesseraStore, UserView } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestTessera, goodPassword, openTestTessera, type StoreLeg, type TestTessera } from '../fixtures.js';
import { createVerifiedUser, expectTesseraError, mailedToken, signIn } from './helpers.js';

const operator = { operator: 'test' };

export function adminOperationsSuite(leg: StoreLeg): void {
  describe('admin operations', () => {
    let t: TestTessera;
    let store: TesseraStore;

    beforeEach(async () => {
      ({ store, t } = await openTestTessera(leg));
    });

    it('lists the audit log for admins only, filtered by actor, target, action and time, newest first, with cursors both ways', async () => {
      const admin = await signIn(t, { role: 'ADMIN' });
      const manager = await signIn(t, { role: 'MANAGER' });
      const targets: UserView[] = [];
      for (let index = 0; index < 5; index += 1) {
        targets.push(await createVerifiedUser(t));
        t.clock.advance(1);
      }
      for (const target of targets) {
        await t.tessera.api.lockUser(admin.principal, target.id, { ipAddress: '198.51.100.4', userAgent: 'console' });
        t.clock.advance(1);
      }
      await expectTesseraError(t.tessera.api.listAuditEvents(manager.principal, {}), 'forbidden');

      const locks = await t.tessera.api.listAuditEvents(admin.principal, { action: ['user.locked'], actorId: admin.user.id, limit: 2, includeTotal: true });
      expect(locks.total).toBe(5);
      expect(locks.items.map((entry) => entry.targetId)).toEqual([targets[4]!.id, targets[3]!.id]);
      expect(locks.items[0]).toMatchObject({ action: 'user.locked', actor: { id: admin.user.id }, ipAddress: '198.51.100.4', userAgent: 'console', before: { status: 'active' }, after: { status: 'locked' } });
      const next = await t.tessera.api.listAuditEvents(admin.principal, { action: ['user.locked'], limit: 2, cursor: locks.nextCursor! });
      expect(next.items.map((entry) => entry.targetId)).toEqual([targets[2]!.id, targets[1]!.id]);
      const back = await t.tessera.api.listAuditEvents(admin.principal, { action: ['user.locked'], limit: 2, cursor: next.prevCursor! });
      expect(back.items.map((entry) => entry.id)).toEqual(locks.items.map((entry) => entry.id));

      const aboutOne = await t.tessera.api.listAuditEvents(admin.principal, { targetId: targets[0]!.id });
      expect(aboutOne.items.map((entry) => entry.action)).toEqual(['user.locked']);
      const window = await t.tessera.api.listAuditEvents(admin.principal, { action: ['user.locked'], from: new Date(t.clock.now().getTime() - 2500) });
      expect(window.items).toHaveLength(2);
      await expectTesseraError(t.tessera.api.listAuditEvents(admin.principal, { cursor: 'bogus' }), 'validation_failed');
    });

    it('counts a page’s total up to listing.totalUpTo, says when it stopped, and counts exactly through countUsers', async () => {
      const capped = await createTestTessera(store, { listing: { totalUpTo: 3 } });
      for (let index = 0; index < 5; index += 1) await createVerifiedUser(capped, { email: `counted${index}@example.com` });
      await createVerifiedUser(capped, { email: 'other@example.com' });
      const over = await capped.tessera.api.listUsers(operator, { search: 'counted', limit: 2, includeTotal: true });
      expect({ total: over.total, totalIsExact: over.totalIsExact, items: over.items.length }).toEqual({ total: 3, totalIsExact: false, items: 2 });
      const exactAtCap = await capped.tessera.api.listUsers(operator, { search: 'counted1', includeTotal: true });
      expect({ total: exactAtCap.total, totalIsExact: exactAtCap.totalIsExact }).toEqual({ total: 1, totalIsExact: true });
      const noTotal = await capped.tessera.api.listUsers(operator, { search: 'counted' });
      expect({ total: noTotal.total, totalIsExact: noTotal.totalIsExact }).toEqual({ total: null, totalIsExact: null });
      expect(await capped.tessera.api.countUsers(operator, { search: 'counted' })).toBe(5);
      expect(await capped.tessera.api.countUsers(operator, {})).toBe(6);
      expect(await capped.tessera.api.countUsers(operator, { search: 'counted', emailVerified: false })).toBe(0);
      const manager = await signIn(capped, { role: 'MANAGER' });
      expect(await capped.tessera.api.countUsers(manager.principal, { role: ['MANAGER'] })).toBe(1);
      const member = await signIn(capped);
      await expectTesseraError(capped.tessera.api.countUsers(member.principal, {}), 'forbidden');
      await expectTesseraError(capped.tessera.api.countUsers(operator, { search: 'ab' }), 'validation_failed');
    });

    it('sorts by latest login when a last-login range is given without a sort, and refuses searches shorter than 3 characters', async () => {
      const first = await signIn(t, { email: 'early@example.com' });
      t.clock.advance(60);
      const second = await signIn(t, { email: 'late@example.com' });
      const since = new Date(t.clock.now().getTime() - 3600_000);
      const page = await t.tessera.api.listUsers(operator, { lastLoginFrom: since });
      expect(page.sort).toBe('-lastLoginAt');
      expect(page.items.map((user) => user.id)).toEqual([second.user.id, first.user.id]);
      expect((await t.tessera.api.listUsers(operator, {})).sort).toBe('-createdAt');
      expect((await t.tessera.api.listUsers(operator, { lastLoginFrom: since, sort: 'email' })).sort).toBe('email');
      await expectTesseraError(t.tessera.api.listUsers(operator, { search: 'ab' }), 'validation_failed');
      await expectTesseraError(t.tessera.api.listUsers(operator, { search: '  a  ' }), 'validation_failed');
    });

    it('starts a password reset for a user: mails a link, ends the sessions, and can stop the current password', async () => {
      const admin = await signIn(t, { role: 'ADMIN' });
      const user = await signIn(t);
      t.clock.advance(1);
      const reset = await t.tessera.api.resetUserPassword(admin.principal, user.user.id, { invalidateCurrentPassword: true });
      expect(reset.hasPassword).toBe(false);
      await expectTesseraError(t.tessera.api.refresh({ refreshToken: user.tokens.refreshToken }), 'invalid_refresh_token');
      await expectTesseraError(t.tessera.api.login({ email: user.user.email, password: goodPassword }), 'invalid_credentials');
      const token = await mailedToken(t, 'user.password_reset_requested', user.user.email);
      expect(t.events.ofType('user.password_reset_requested', user.user.email)[0]?.payload.initiatedBy).toBe('admin');
      await t.tessera.api.resetPassword({ token, password: 'a new passphrase of mine' });
      await t.tessera.api.login({ email: user.user.email, password: 'a new passphrase of mine' });
      const manager = await signIn(t, { role: 'MANAGER' });
      await expectTesseraError(t.tessera.api.resetUserPassword(manager.principal, admin.user.id), 'forbidden');
      expect((await store.audit.listForTarget(user.user.id, 5)).map((entry) => entry.action)).toContain('user.password_reset_started');
    });

    it('erases a deleted user’s personal data from the audit trail, keeping a pseudonymous record', async () => {
      const admin = await signIn(t, { role: 'ADMIN' });
      const user = await signIn(t, { role: 'MANAGER' });
      await t.tessera.api.updateUser(admin.principal, user.user.id, { profile: { firstName: 'Grace' } }, { ipAddress: '198.51.100.1', userAgent: 'admin' });
      const victim = await createVerifiedUser(t);
      await t.tessera.api.lockUser(user.principal, victim.id, { ipAddress: '203.0.113.50', userAgent: 'manager-laptop' });
      await t.tessera.api.deleteUser(admin.principal, user.user.id, { ipAddress: '198.51.100.1', userAgent: 'admin' });

      const about = await store.audit.listForTarget(user.user.id, 10);
      expect(about.map((entry) => entry.action)).toEqual(['user.deleted', 'user.updated', 'user.role_changed']);
      const trail = JSON.stringify(about);
      expect(trail).not.toContain(user.user.email);
      expect(trail).not.toContain(user.user.username);
      expect(trail).not.toContain('Grace');
      expect(about[1]).toMatchObject({ targetId: user.user.id, actorId: admin.user.id, ipAddress: '198.51.100.1', before: { email: '[erased]', role: 'MANAGER' } });
      // What the deleted manager did stays, without their IP address or user agent.
      const byThem = await store.audit.listForTarget(victim.id, 5);
      expect(byThem[0]).toMatchObject({ action: 'user.locked', actorId: user.user.id, ipAddress: null, userAgent: null });
    });

    it('applies a bulk action per user and reports each outcome, refusals included', async () => {
      const manager = await signIn(t, { role: 'MANAGER' });
      const admin = await createVerifiedUser(t, { role: 'ADMIN' });
      const users = [await createVerifiedUser(t), await createVerifiedUser(t)];
      const missing = '018f0000-0000-7000-8000-000000000000';
      const results = await t.tessera.api.bulkUsers(manager.principal, { action: 'lock', ids: [users[0]!.id, admin.id, missing, users[1]!.id, manager.user.id] });
      expect(results.map((result) => (result.ok ? 'ok' : result.code))).toEqual(['ok', 'forbidden', 'user_not_found', 'ok', 'forbidden']);
      expect(results[0]).toMatchObject({ ok: true, user: { id: users[0]!.id, status: 'locked' } });
      const roles = await t.tessera.api.bulkUsers(manager.principal, { action: 'setRole', role: 'ADMIN', ids: [users[0]!.id] });
      expect(roles).toEqual([expect.objectContaining({ ok: false, code: 'forbidden' })]);
      await expectTesseraError(t.tessera.api.bulkUsers(manager.principal, { action: 'lock', ids: [users[0]!.id, users[0]!.id] }), 'validation_failed');
      await expectTesseraError(t.tessera.api.bulkUsers(manager.principal, { action: 'lock', ids: Array.from({ length: 101 }, () => missing) }), 'validation_failed');
      const deleted = await t.tessera.api.bulkUsers(operator, { action: 'delete', ids: users.map((user) => user.id) });
      expect(deleted.every((result) => result.ok && result.user === null)).toBe(true);
    });

    it('exports every matching user in order, in batches, to admins only', async () => {
      const admin = await signIn(t, { role: 'ADMIN' });
      const manager = await signIn(t, { role: 'MANAGER' });
      for (let index = 0; index < 1203; index += 1) {
        await store.users.insert({
          id: `018f0000-0000-7000-8000-${String(index).padStart(12, '0')}` as never,
          email: `export.${index}@example.com`,
          emailVerifiedAt: index % 2 === 0 ? t.clock.now() : null,
          username: `export-user-${index}`,
          passwordHash: null,
          role: 'AUTHENTICATED',
          createdAt: new Date(t.clock.now().getTime() - (2000 - index) * 1000),
        });
      }
      const all: AdminUserView[] = [];
      for await (const user of t.tessera.api.exportUsers(admin.principal, { search: 'export.' })) all.push(user);
      expect(all).toHaveLength(1203);
      expect(all.map((user) => user.email)).toEqual(Array.from({ length: 1203 }, (_, index) => `export.${index}@example.com`));
      const verified: AdminUserView[] = [];
      for await (const user of t.tessera.api.exportUsers(admin.principal, { search: 'export.', emailVerified: true, sort: '-createdAt' })) verified.push(user);
      expect(verified).toHaveLength(602);
      expect(verified[0]?.email).toBe('export.1202@example.com');
      const refused = t.tessera.api.exportUsers(manager.principal, {})[Symbol.asyncIterator]();
      await expectTesseraError(refused.next(), 'forbidden');
    });
  });
}
