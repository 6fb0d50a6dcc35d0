import { goodPassword, pgMemLeg, postgresAvailable, postgresLeg, uniqueEmail, type StoreLeg } from '@tessera/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '../src/index.js';
import { mailerOptions, tesseraWithMailer } from './mailer-fixtures.js';
import { addressesOf, SmtpTestServer } from '@tessera/testkit';

// The PostgreSQL leg needs the server at TESSERA_TEST_DATABASE_URL (127.0.0.1:5432 by default);
// without it (and without CI=true) the leg is skipped with a notice, and pg-mem still runs.
const isPostgresUp = await postgresAvailable();
const legs: ReadonlyArray<{ leg: StoreLeg; skip: boolean }> = [
  { leg: pgMemLeg(), skip: false },
  { leg: postgresLeg(), skip: !isPostgresUp },
];

for (const { leg, skip } of legs) {
  describe.skipIf(skip)(`two dispatchers on one ${leg.name} store`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    afterAll(() => leg.close());

    it('deliver each mail exactly once, counted by Message-ID at the SMTP server', async () => {
      const store = await leg.open();
      const server = await SmtpTestServer.start();
      cleanups.push(() => server.stop());
      // Two processes: each its own Tessera and its own mailer, under the same consumer name.
      const mailers: Mailer[] = [createMailer(mailerOptions(server.url)), createMailer(mailerOptions(server.url))];
      cleanups.push(async () => void (await Promise.all(mailers.map((mailer) => mailer.close()))));
      const [first, second] = await Promise.all(mailers.map((mailer) => tesseraWithMailer(store, mailer)));
      if (!first || !second) throw new Error('two instances expected');

      const emails = Array.from({ length: 12 }, (_, index) => uniqueEmail(`race${index}`));
      await Promise.all(emails.map((email, index) => (index % 2 === 0 ? first : second).tessera.api.register({ email, password: goodPassword })));
      const reports = await Promise.all([first.tessera.outbox.drain(), second.tessera.outbox.drain(), first.tessera.outbox.drain(), second.tessera.outbox.drain()]);
      expect(reports.reduce((sum, report) => sum + report.delivered, 0)).toBe(12);

      const mails = await server.parsed();
      const perMessageId = new Map<string, number>();
      for (const mail of mails) perMessageId.set(mail.messageId ?? '', (perMessageId.get(mail.messageId ?? '') ?? 0) + 1);
      expect(perMessageId.size).toBe(12);
      expect([...perMessageId.values()].every((count) => count === 1)).toBe(true);
      expect(mails.flatMap((mail) => addressesOf(mail.to)).sort()).toEqual([...emails].sort());
      expect(await store.outbox.countByState()).toEqual({ pending: 0, delivered: 12, dead: 0 });
    });
  });
}
