import { migrateToLatest } from '@tessera/kysely';
import { createPostgresStore, type PostgresStore } from '@tessera/kysely/postgres';
import { createMailer, type Mailer } from '@tessera/mailer';
import { createTestDatabase, createTestTessera, goodPassword, postgresAvailable, type TestDatabase, type TestTessera } from '@tessera/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIntegrity, intact, outboxState, query, userEmails } from './support/database-checks.js';
import { call, clientAddress, inProcess, tally, type CallResult } from './support/http-calls.js';
import { mailerOptions } from './support/mailer-options.js';
import { SmtpTestServer } from '@tessera/testkit';
import { waitFor } from './support/wait-for.js';

// With CI=true an unreachable server fails here; locally the file is skipped with a notice.
const isPostgresUp = await postgresAvailable();

describe.skipIf(!isPostgresUp)('when the SMTP server fails', () => {
  let database: TestDatabase;
  let postgres: PostgresStore;
  let sink: SmtpTestServer;
  let mailer: Mailer;
  let t: TestTessera;

  beforeAll(async () => {
    database = await createTestDatabase();
    postgres = createPostgresStore({ connectionString: database.connectionString, maxConnections: 10 });
    await migrateToLatest(postgres.db);
    sink = await SmtpTestServer.start({ closeTimeoutMs: 2000 });
    mailer = createMailer(mailerOptions(sink.url));
    // The real clock, and retries after 1–2 s instead of 30 s and more, so the test can wait for them.
    t = await createTestTessera(postgres.store, { clock: { now: () => new Date() }, events: { consumers: [mailer], retryDelaySeconds: 1, maxRetryDelaySeconds: 2 } });
    t.tessera.outbox.start({ pollIntervalMs: 100 });
  });
  afterAll(async () => {
    await t?.tessera.close();
    await mailer?.close();
    await sink?.stop();
    await postgres?.close();
    await database?.drop();
  });

  it('loses no mail of a burst of registrations while the server is down, and sends each one exactly once when it is back', async () => {
    const emails = Array.from({ length: 50 }, (_, index) => `burst.${index}@example.com`);
    const target = inProcess(t.tessera);
    const results: CallResult[] = [];
    let next = 0;
    // The burst: 8 clients at a time; the SMTP server goes away after the first 10 answers.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < emails.length) {
          const index = next++;
          results.push(await call(target, 'POST', '/register', { json: { email: emails[index], password: goodPassword }, clientIp: clientAddress(index) }));
          if (results.length === 10) await sink.stop();
        }
      }),
    );
    expect(tally(results)).toEqual({ '201': 50 });
    const acceptedBeforeOutage = sink.received.length;

    // While it is down, the dispatcher keeps trying: failures are recorded, nothing is given up.
    await waitFor('failed attempts to be recorded', async () => {
      const [row] = await query<{ n: string }>(database.connectionString, `select count(*) as n from tessera_outbox where state = 'pending' and last_error is not null`);
      return Number(row?.n) >= 10;
    });
    expect(sink.received.length).toBe(acceptedBeforeOutage);
    expect((await outboxState(database.connectionString)).dead).toBe(0);

    await sink.resume();
    await waitFor('every mail to be delivered', async () => (await outboxState(database.connectionString)).pending === 0, { timeoutMs: 60_000 });

    expect(await outboxState(database.connectionString)).toMatchObject({ pending: 0, dead: 0, delivered: 50 });
    expect(emails.filter((email) => sink.mailsTo(email).length !== 1)).toEqual([]);
    expect([...sink.countsByMessageId().values()].filter((count) => count !== 1)).toEqual([]);
    expect(sink.received).toHaveLength(50);
    expect(await userEmails(database.connectionString)).toEqual([...emails].sort());
    expect(await checkIntegrity(database.connectionString, [mailer.name])).toEqual(intact);
  });
});
