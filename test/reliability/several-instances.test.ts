import { generateSigningKey } from '@tessera/core';
import { createTestDatabase, goodPassword, postgresAvailable, type TestDatabase } from '@tessera/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess, type AppEnvironment } from './support/app-process.js';
import { outboxState, query, withClient } from './support/database-checks.js';
import { call, clientAddress, outcomeOf, tally, type CallResult } from './support/http-calls.js';
import { SmtpTestServer, tokenInMail } from '@tessera/testkit';
import { waitFor } from './support/wait-for.js';
import { deleteKeys, redisAvailable, redisUrl, runPrefix, testRedisClient } from '../stores/rate-limit-store-legs.js';

// With CI=true an unreachable server fails here; locally the file is skipped with a notice.
const isPostgresUp = await postgresAvailable();
const isRedisUp = isPostgresUp && (await redisAvailable());

/** Registrations allowed per client address and hour (the `rateLimits.register` default). */
const registrationsPerAddress = 10;

/**
 * One client sends 14 registrations at once, half to each instance: with counters shared,
 * exactly the limit passes in all, the rest get 429 `rate_limited` with a `Retry-After`.
 */
async function expectRegistrationLimitShared(apps: readonly [AppProcess, AppProcess], clientIp: string, label: string): Promise<void> {
  const results = await Promise.all(
    Array.from({ length: 14 }, (_, index) =>
      call(apps[index % 2]!.target, 'POST', '/register', { json: { email: `${label}.${index}@example.com`, password: goodPassword }, clientIp }),
    ),
  );
  expect(tally(results)).toEqual({ '201': registrationsPerAddress, '429 rate_limited': 14 - registrationsPerAddress });
  for (const result of results.filter((result) => result.status === 429)) expect(Number(result.headers.get('retry-after'))).toBeGreaterThan(0);
}

describe.skipIf(!isPostgresUp)('two app processes on one database', () => {
  let database: TestDatabase;
  let sink: SmtpTestServer;
  let environment: AppEnvironment;
  let a: AppProcess;
  let b: AppProcess;
  const apps: AppProcess[] = [];
  let clients = 0;
  const nextClient = () => clientAddress(1000 + clients++);

  beforeAll(async () => {
    database = await createTestDatabase();
    sink = await SmtpTestServer.start({ closeTimeoutMs: 2000 });
    environment = {
      DATABASE_URL: database.connectionString,
      SMTP_URL: sink.url,
      TESSERA_SECRET: 'reliability-secret-that-is-at-least-32-characters',
      TESSERA_SIGNING_KEY: JSON.stringify(await generateSigningKey('reliability')),
      RATE_LIMIT_STORE: 'postgres',
    };
    // Both start (and migrate) at once, as a deployment does.
    [a, b] = await Promise.all([startApp('a'), startApp('b')]);
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await sink?.stop();
    await database?.drop();
  });

  async function startApp(name: string, extra: Partial<AppEnvironment> = {}): Promise<AppProcess> {
    const app = await AppProcess.start({ ...environment, ...extra, INSTANCE: name });
    apps.push(app);
    return app;
  }

  /** Registers through `app` and verifies the address with the token from the mail that arrived. */
  async function verifiedUser(app: AppProcess, email: string): Promise<void> {
    expect(outcomeOf(await call(app.target, 'POST', '/register', { json: { email, password: goodPassword }, clientIp: nextClient() }))).toBe('201');
    const mail = await waitFor(`the verification mail to ${email}`, () => sink.mailsTo(email)[0]);
    expect(outcomeOf(await call(app.target, 'POST', '/verify-email', { json: { token: tokenInMail(mail) }, clientIp: nextClient() }))).toBe('200');
  }

  it('delivers each mail of registrations spread over both exactly once, with both dispatchers running', async () => {
    const emails = Array.from({ length: 40 }, (_, index) => `spread.${index}@example.com`);
    const results = await Promise.all(
      emails.map((email, index) => call((index % 2 === 0 ? a : b).target, 'POST', '/register', { json: { email, password: goodPassword }, clientIp: nextClient() })),
    );
    expect(tally(results)).toEqual({ '201': 40 });
    await waitFor('every mail to be delivered', async () => emails.every((email) => sink.mailsTo(email).length > 0));
    expect(await outboxState(database.connectionString)).toMatchObject({ pending: 0, dead: 0, claimed: 0 });
    expect(emails.filter((email) => sink.mailsTo(email).length !== 1)).toEqual([]);
    expect([...sink.countsByMessageId().values()].filter((count) => count !== 1)).toEqual([]);
  });

  it('counts failed logins on both toward one lockout, which both then enforce', async () => {
    const email = 'lockout@example.com';
    await verifiedUser(a, email);
    // Five wrong passwords at once, spread over both instances, each from its own address.
    const failures = await Promise.all(
      Array.from({ length: 5 }, (_, index) => call((index % 2 === 0 ? a : b).target, 'POST', '/login', { json: { email, password: 'a wrong password, but long enough' }, clientIp: nextClient() })),
    );
    expect(failures.map(outcomeOf).filter((outcome) => outcome !== '401 invalid_credentials' && outcome !== '423 account_locked')).toEqual([]);
    // Exactly one lock from the five (its notice published once), whichever instance counted the fifth.
    const [row] = await query<{ lockout_count: number; locked: boolean; notices: string }>(
      database.connectionString,
      `select lockout_count, locked_until > now() as locked,
              (select count(*) from tessera_outbox o where o.event_type = 'user.account_locked' and o.payload->'user'->>'email' = u.email) as notices
         from tessera_users u where email = $1`,
      [email],
    );
    expect(row).toEqual({ lockout_count: 1, locked: true, notices: '1' });
    // The right password is refused by either instance while the lock lasts.
    for (const app of [a, b]) {
      expect(outcomeOf(await call(app.target, 'POST', '/login', { json: { email, password: goodPassword }, clientIp: nextClient() }))).toBe('423 account_locked');
    }
  });

  it('detects a refresh token reused on the other instance and ends the session on both', async () => {
    const email = 'refresh@example.com';
    await verifiedUser(b, email);
    const login = await call(a.target, 'POST', '/login', { json: { email, password: goodPassword }, clientIp: nextClient() });
    const first = (login.body as { refreshToken: string }).refreshToken;
    const rotated = await call(b.target, 'POST', '/refresh', { json: { refreshToken: first }, clientIp: nextClient() });
    expect(rotated.status).toBe(200);
    // The spent token comes back at the other instance: reuse, so the whole session ends.
    expect(outcomeOf(await call(a.target, 'POST', '/refresh', { json: { refreshToken: first }, clientIp: nextClient() }))).toBe('401 invalid_refresh_token');
    expect(outcomeOf(await call(b.target, 'POST', '/refresh', { json: { refreshToken: (rotated.body as { refreshToken: string }).refreshToken }, clientIp: nextClient() }))).toBe(
      '401 invalid_refresh_token',
    );

    // One token sent 20 times at once to both: at most one rotation, then the family is revoked.
    const again = await call(b.target, 'POST', '/login', { json: { email, password: goodPassword }, clientIp: nextClient() });
    const token = (again.body as { refreshToken: string }).refreshToken;
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => call((index % 2 === 0 ? a : b).target, 'POST', '/refresh', { json: { refreshToken: token }, clientIp: nextClient() })));
    expect(results.filter((result) => result.status === 200).length).toBeLessThanOrEqual(1);
    expect(results.filter((result) => result.status !== 200).map(outcomeOf).every((outcome) => outcome === '401 invalid_refresh_token')).toBe(true);
    const [live] = await query<{ n: string }>(
      database.connectionString,
      'select count(*) as n from tessera_refresh_tokens t join tessera_users u on u.id = t.user_id where u.email = $1 and t.revoked_at is null',
      [email],
    );
    expect(Number(live?.n)).toBe(0);
  });

  it('shares rate-limit counters through the database: one client gets the limit once, not once per instance', async () => {
    await expectRegistrationLimitShared([a, b], '203.0.113.7', 'limited-postgres');
  });

  it('on SIGTERM finishes the requests and the delivery in flight, then claims nothing more; another instance delivers the rest', async () => {
    // Alone on the database, so that no other dispatcher hides what this one does.
    for (const app of [a, b]) app.signal('SIGTERM');
    expect(await Promise.all([a.exited(), b.exited()])).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    const c = await startApp('c', { LOCK_TIMEOUT_MS: '20000', STATEMENT_TIMEOUT_MS: '20000' });

    // Whatever the earlier tests left in the outbox goes out first.
    await waitFor('the outbox to be empty', async () => (await outboxState(database.connectionString)).pending === 0);

    // A delivery in flight: the SMTP server takes 1.5 s to answer.
    sink.answerDelayMs = 1500;
    const slowEmail = 'in-flight-mail@example.com';
    expect(outcomeOf(await call(c.target, 'POST', '/register', { json: { email: slowEmail, password: goodPassword }, clientIp: nextClient() }))).toBe('201');
    const slowRow = `select state, claim_token is not null as claimed from tessera_outbox where payload->'user'->>'email' = $1`;
    await waitFor('its delivery to start', async () => (await query<{ claimed: boolean }>(database.connectionString, slowRow, [slowEmail]))[0]?.claimed);

    const blocked = ['in-flight-1@example.com', 'in-flight-2@example.com', 'in-flight-3@example.com', 'in-flight-4@example.com'];
    const results = await withClient(database.connectionString, async (admin) => {
      // Requests in flight: registrations that wait on this lock until after the SIGTERM.
      await admin.query('begin');
      await admin.query('lock table tessera_users in share mode');
      const pending: Array<Promise<CallResult>> = blocked.map((email) => call(c.target, 'POST', '/register', { json: { email, password: goodPassword }, clientIp: nextClient() }));
      await waitFor('4 registrations to wait on the lock', async () => {
        // Inside a transaction the activity view is a snapshot taken at first use: refresh it.
        await admin.query('select pg_stat_clear_snapshot()');
        const { rows } = await admin.query(`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        return rows.length === 4;
      });
      c.signal('SIGTERM');
      await waitFor('the dispatcher to stop', () => c.hasSaid('stopping'));
      await admin.query('rollback');
      return Promise.all(pending);
    });
    sink.answerDelayMs = 0;

    // The delivery in flight was finished (and recorded) before the dispatcher stopped.
    expect(sink.mailsTo(slowEmail)).toHaveLength(1);
    expect(await query(database.connectionString, slowRow, [slowEmail])).toEqual([{ state: 'delivered', claimed: false }]);
    // The requests in flight were answered, and the process ended cleanly.
    expect(tally(results)).toEqual({ '201': 4 });
    expect(await c.exited()).toEqual({ code: 0, signal: null });
    expect(c.hasSaid('stopped')).toBe(true);
    // Their events were committed after the dispatcher stopped: it claimed none of them.
    const rows = await query<{ state: string; attempts: number; claim_token: string | null }>(
      database.connectionString,
      `select state, attempts, claim_token from tessera_outbox where payload->'user'->>'email' = any($1)`,
      [blocked],
    );
    expect(rows).toEqual(blocked.map(() => ({ state: 'pending', attempts: 0, claim_token: null })));
    expect(blocked.flatMap((email) => sink.mailsTo(email))).toEqual([]);

    await startApp('d');
    await waitFor('the next instance to deliver everything', async () => (await outboxState(database.connectionString)).pending === 0);
    expect(blocked.map((email) => sink.mailsTo(email).length)).toEqual([1, 1, 1, 1]);
    expect(await outboxState(database.connectionString)).toMatchObject({ pending: 0, dead: 0, claimed: 0 });
  });
});

describe.skipIf(!isRedisUp)('two app processes sharing rate limits through Redis', () => {
  let database: TestDatabase;
  let sink: SmtpTestServer;
  const apps: AppProcess[] = [];
  const prefix = `${runPrefix}reliability:`;

  beforeAll(async () => {
    database = await createTestDatabase();
    sink = await SmtpTestServer.start({ closeTimeoutMs: 2000 });
    const environment: AppEnvironment = {
      DATABASE_URL: database.connectionString,
      SMTP_URL: sink.url,
      TESSERA_SECRET: 'reliability-secret-that-is-at-least-32-characters',
      TESSERA_SIGNING_KEY: JSON.stringify(await generateSigningKey('reliability')),
      RATE_LIMIT_STORE: 'redis',
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
    };
    apps.push(...(await Promise.all(['a', 'b'].map((name) => AppProcess.start({ ...environment, INSTANCE: name })))));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    const redis = testRedisClient();
    await deleteKeys(redis, prefix);
    await redis.quit();
    await sink?.stop();
    await database?.drop();
  });

  it('gives one client the limit once across both instances', async () => {
    await expectRegistrationLimitShared([apps[0]!, apps[1]!], '203.0.113.8', 'limited-redis');
  });
});
