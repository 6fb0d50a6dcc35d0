import type { TesseraStore } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestTessera, goodPassword, openTestTessera, uniqueEmail, type StoreLeg, type TestTessera } from '../fixtures.js';
import { expectTesseraError, signIn } from './helpers.js';

const completeProfile = { firstName: 'Ada', lastName: 'Lovelace', bio: 'Analyst of engines.', location: 'London' };

export function proAndProfileSuite(leg: StoreLeg): void {
  describe('pro status', () => {
    let t: TestTessera;
    let store: TesseraStore;

    beforeEach(async () => {
      ({ store, t } = await openTestTessera(leg));
    });

    it('refuses a request from an incomplete profile, naming the missing fields', async () => {
      const { principal } = await signIn(t);
      await t.tessera.api.updateMe(principal, { profile: { firstName: 'Ada' } });
      const error = await expectTesseraError(t.tessera.api.requestPro(principal), 'validation_failed');
      expect(error.details?.fields?.map((field) => field.path)).toEqual(['profile.lastName', 'profile.bio', 'profile.location']);
    });

    it('takes the completeness rule from the options', async () => {
      const lenient = await createTestTessera(store, { pro: { requiredProfileFields: ['githubUrl'] } });
      const { principal } = await signIn(lenient);
      await expectTesseraError(lenient.tessera.api.requestPro(principal), 'validation_failed');
      await lenient.tessera.api.updateMe(principal, { profile: { githubUrl: 'https://github.com/ada' } });
      expect((await lenient.tessera.api.requestPro(principal)).pro.status).toBe('pending');
    });

    it('runs the whole workflow: request, approve, revoke; request again, reject with a reason; each step published and audited', async () => {
      const user = await signIn(t);
      const manager = await signIn(t, { role: 'MANAGER' });
      const admin = await signIn(t, { role: 'ADMIN' });
      await t.tessera.api.updateMe(user.principal, { profile: completeProfile });

      expect((await t.tessera.api.requestPro(user.principal)).pro).toMatchObject({ status: 'pending', reason: null });
      await expectTesseraError(t.tessera.api.requestPro(user.principal), 'conflict');
      const pending = await t.tessera.api.listUsers(manager.principal, { proStatus: ['pending'] });
      expect(pending.items.map((item) => item.id)).toEqual([user.user.id]);

      expect((await t.tessera.api.decidePro(manager.principal, user.user.id, { decision: 'approve' })).pro.status).toBe('approved');
      await expectTesseraError(t.tessera.api.decidePro(manager.principal, user.user.id, { decision: 'revoke', reason: 'no' }), 'forbidden');
      expect((await t.tessera.api.decidePro(admin.principal, user.user.id, { decision: 'revoke', reason: 'Account shared' })).pro).toMatchObject({ status: 'revoked', reason: 'Account shared' });

      await t.tessera.api.requestPro(user.principal);
      const rejected = await t.tessera.api.decidePro(admin.principal, user.user.id, { decision: 'reject', reason: 'Add a portfolio link' });
      expect(rejected.pro).toMatchObject({ status: 'rejected', reason: 'Add a portfolio link' });
      await expectTesseraError(t.tessera.api.decidePro(admin.principal, user.user.id, { decision: 'approve' }), 'conflict');

      await t.deliver();
      const types = t.events.received.filter((event) => event.type.startsWith('pro.')).map((event) => event.type).sort();
      expect(types).toEqual(['pro.approved', 'pro.rejected', 'pro.requested', 'pro.requested', 'pro.revoked']);
      const audit = (await store.audit.listForTarget(user.user.id, 20)).map((entry) => entry.action);
      expect(audit).toEqual(expect.arrayContaining(['pro.requested', 'pro.approved', 'pro.revoked', 'pro.rejected']));
      expect(audit.filter((action) => action === 'pro.requested')).toHaveLength(2);
    });

    it('never lets anyone decide their own pro status, nor a user decide anyone’s', async () => {
      const manager = await signIn(t, { role: 'MANAGER' });
      const user = await signIn(t);
      for (const caller of [manager, user]) {
        await t.tessera.api.updateMe(caller.principal, { profile: completeProfile });
        await t.tessera.api.requestPro(caller.principal);
      }
      await expectTesseraError(t.tessera.api.decidePro(manager.principal, manager.user.id, { decision: 'approve' }), 'forbidden');
      await expectTesseraError(t.tessera.api.decidePro(user.principal, user.user.id, { decision: 'approve' }), 'forbidden');
      await expectTesseraError(t.tessera.api.decidePro(user.principal, manager.user.id, { decision: 'approve' }), 'forbidden');
      await expectTesseraError(t.tessera.api.updateMe(user.principal, { profile: {}, pro: { status: 'approved' } } as never), 'validation_failed');
      expect((await t.tessera.api.getMe(user.principal)).pro.status).toBe('pending');
    });
  });

  describe('profiles with the host app’s own fields', () => {
    let store: TesseraStore;

    beforeEach(async () => {
      ({ store } = await openTestTessera(leg));
    });

    const custom = z.object({ company: z.string().min(1).max(100), newsletter: z.boolean(), seats: z.number().int().min(1) }).partial();

    it('validates, stores, merges and returns them, typed by the host schema', async () => {
      const t = await createTestTessera(store, { profile: { custom } });
      const { user } = await t.tessera.api.register({ email: uniqueEmail(), password: goodPassword, profile: { custom: { company: 'Analytical Engines' } } });
      expect(user.profile.custom).toEqual({ company: 'Analytical Engines' });
      const { principal } = await signIn(t);
      const updated = await t.tessera.api.updateMe(principal, { profile: { custom: { newsletter: true } } });
      const again = await t.tessera.api.updateMe(principal, { profile: { firstName: 'Ada', custom: { seats: 3 } } });
      expect(updated.profile.custom).toEqual({ newsletter: true });
      expect(again.profile.custom).toEqual({ newsletter: true, seats: 3 });
      expect(again.profile.firstName).toBe('Ada');
      const error = await expectTesseraError(t.tessera.api.updateMe(principal, { profile: { custom: { seats: 0, company: 'x'.repeat(101) } } }), 'validation_failed');
      expect(error.details?.fields?.map((field) => field.path).sort()).toEqual(['profile.custom.company', 'profile.custom.seats']);
      expect((await t.tessera.api.getMe(principal)).profile.custom).toEqual({ newsletter: true, seats: 3 });
    });

    it('holds the whole record to the schema: required fields at registration, checked after every merge', async () => {
      const strict = await createTestTessera(store, { profile: { custom: z.object({ company: z.string().min(1) }) } });
      const missing = await expectTesseraError(strict.tessera.api.register({ email: uniqueEmail(), password: goodPassword }), 'validation_failed');
      expect(missing.details?.fields?.[0]?.path).toBe('profile.custom.company');
      const { user } = await strict.tessera.api.register({ email: uniqueEmail(), password: goodPassword, profile: { custom: { company: 'Acme' } } });
      expect(user.profile.custom).toEqual({ company: 'Acme' });
    });

    it('refuses custom fields when the host app configured none', async () => {
      const t = await createTestTessera(store);
      const { principal } = await signIn(t);
      const error = await expectTesseraError(t.tessera.api.updateMe(principal, { profile: { custom: { company: 'Acme' } } }), 'validation_failed');
      expect(error.details?.fields).toEqual([expect.objectContaining({ path: 'profile.custom' })]);
    });
  });
}
