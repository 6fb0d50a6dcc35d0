import type { EventConsumer, TesseraEvent, TesseraStore } from '@tessera/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CapturingConsumer, createTestTessera, goodPassword, uniqueEmail, type StoreLeg, type TestTessera, openTestTessera } from '../fixtures.js';

export function outboxSuite(leg: StoreLeg): void {
  describe('events through the outbox', () => {
    let t: TestTessera;
    let store: TesseraStore;

    beforeEach(async () => {
      ({ store, t } = await openTestTessera(leg));
    });

    it('delivers each event once to every subscribed consumer, with a stable id', async () => {
      const mail = new CapturingConsumer('mail');
      const roles: TesseraEvent[] = [];
      const onlyRoles: EventConsumer<'user.role_changed'> = { name: 'roles', events: ['user.role_changed'], handle: async (event) => void roles.push(event) };
      const withTwo = await createTestTessera(store, { events: { consumers: [mail, onlyRoles] } });
      const { user } = await withTwo.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      await withTwo.tessera.api.setUserRole({ operator: 'test' }, user.id, { role: 'MANAGER' });
      await withTwo.deliver();
      await withTwo.deliver();
      // Deliveries run in parallel, so a consumer sees events in no guaranteed order; ids sort by creation.
      const byId = [...mail.received].sort((a, b) => a.id.localeCompare(b.id));
      expect(byId.map((event) => event.type)).toEqual(['user.registered', 'user.role_changed']);
      expect(roles.map((event) => event.type)).toEqual(['user.role_changed']);
      expect(roles[0]?.id).toBe(byId[1]?.id);
      expect(await store.outbox.countByState()).toEqual({ pending: 0, delivered: 3, dead: 0 });
    });

    it('retries a failing consumer with growing delays and gives up after the last attempt', async () => {
      const flaky = await createTestTessera(store, { events: { consumers: [t.events], maxAttempts: 3, retryDelaySeconds: 30 } });
      t.events.failWith = new Error('SMTP unavailable');
      await flaky.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      expect(await flaky.tessera.outbox.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
      expect(await flaky.tessera.outbox.runOnce()).toMatchObject({ claimed: 0 });
      flaky.clock.advance(37);
      expect(await flaky.tessera.outbox.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
      flaky.clock.advance(37);
      expect(await flaky.tessera.outbox.runOnce()).toMatchObject({ claimed: 0 });
      flaky.clock.advance(40);
      t.events.failWith = undefined;
      expect(await flaky.tessera.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
      expect(t.events.received[0]?.attempt).toBe(3);

      t.events.failWith = new Error('still down');
      await flaky.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      for (let round = 0; round < 3; round += 1) {
        await flaky.tessera.outbox.runOnce();
        flaky.clock.advance(3600);
      }
      expect(await store.outbox.countByState()).toEqual({ pending: 0, delivered: 1, dead: 1 });
    });

    it('delivers every event exactly once with two dispatchers working at the same time', async () => {
      const second = await createTestTessera(store, { events: { consumers: [t.events] } });
      await Promise.all(Array.from({ length: 12 }, () => t.tessera.api.register({ email: uniqueEmail(), password: goodPassword })));
      await Promise.all([t.tessera.outbox.drain(), second.tessera.outbox.drain(), t.tessera.outbox.drain()]);
      const ids = t.events.received.map((event) => event.id);
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
    });

    it('never lets a batch outlive its lease: another dispatcher running while a slow one works sends nothing twice', async () => {
      const seen: string[] = [];
      const started = t.clock.now().getTime();
      const second: { tessera?: TestTessera } = {};
      let otherRan = false;
      // Every delivery takes 8 s: a group of five takes 40 s, the whole batch longer than the 60 s lease.
      const slow: EventConsumer = {
        name: 'slow',
        events: 'all',
        async handle(event) {
          seen.push(event.id);
          t.clock.advance(8);
          if (!otherRan && t.clock.now().getTime() - started > 60_000) {
            otherRan = true;
            await second.tessera!.tessera.outbox.runOnce();
          }
        },
      };
      const first = await createTestTessera(store, { clock: t.clock, events: { consumers: [slow] } });
      second.tessera = await createTestTessera(store, { clock: t.clock, events: { consumers: [slow] } });
      for (let index = 0; index < 12; index += 1) await first.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      await first.tessera.outbox.runOnce(20);
      expect(otherRan).toBe(true);
      expect(seen).toHaveLength(12);
      expect(new Set(seen).size).toBe(12);
    });

    it('cannot open the secrets of an event with another app secret, and marks it dead', async () => {
      await t.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      const impostor = await createTestTessera(store, { secret: 'a-different-secret-that-is-also-32-characters', events: { consumers: [t.events] } });
      expect(await impostor.tessera.outbox.runOnce()).toMatchObject({ claimed: 1, dead: 1 });
      expect(t.events.received).toHaveLength(0);
    });

    it('keeps delivering while one delivery hangs, and waits for it when stopped', async () => {
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      const delivered: string[] = [];
      let hanging: string | undefined;
      const slow: EventConsumer<'user.registered'> = {
        name: 'slow',
        events: ['user.registered'],
        handle: async (event) => {
          // The first delivery stands for a mail server that stopped answering.
          if (hanging === undefined) {
            hanging = event.payload.user.email;
            await released;
          }
          delivered.push(event.payload.user.email);
        },
      };
      const withSlow = await createTestTessera(store, { events: { consumers: [slow] } });
      withSlow.tessera.outbox.start({ pollIntervalMs: 20 });
      const emails = Array.from({ length: 8 }, () => uniqueEmail());
      for (const email of emails) await withSlow.tessera.api.register({ email, password: goodPassword });
      await vi.waitFor(() => expect(delivered).toHaveLength(emails.length - 1), { timeout: 10_000, interval: 20 });
      expect(delivered).not.toContain(hanging);

      let stopped = false;
      const stopping = withSlow.tessera.close().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect([...delivered].sort()).toEqual([...emails].sort());
      expect(await store.outbox.countByState()).toEqual({ pending: 0, delivered: emails.length, dead: 0 });
    });

    it('deletes the tokens of ended sessions from its loop', async () => {
      const purge = vi.spyOn(store.refreshTokens, 'purgeEnded');
      t.tessera.outbox.start({ pollIntervalMs: 20 });
      await vi.waitFor(() => expect(purge).toHaveBeenCalledWith(t.clock.now()), { timeout: 5000, interval: 20 });
      await t.tessera.close();
      purge.mockRestore();
    });

    it('runs in the background once started, and stops cleanly', async () => {
      t.tessera.outbox.start({ pollIntervalMs: 20 });
      const { user } = await t.tessera.api.register({ email: uniqueEmail(), password: goodPassword });
      await vi.waitFor(() => expect(t.events.ofType('user.registered', user.email)).toHaveLength(1), { timeout: 5000, interval: 20 });
      await t.tessera.close();
      expect(t.tessera.outbox.isRunning).toBe(false);
    });
  });
}
