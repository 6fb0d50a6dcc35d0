import { isTesseraError, type TesseraStore } from '@tessera/core';
import { migrateToLatest, type TesseraDatabase } from '@tessera/kysely';
import { createPgMemStore } from '@tessera/kysely/pg-mem';
import { createPostgresStore, type PostgresStore } from '@tessera/kysely/postgres';
import { createTestDatabase, createTestTessera, goodPassword, mailedToken, postgresAvailable, signIn, uniqueEmail, type SignedIn, type TestDatabase, type TestTessera } from '@tessera/testkit';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, clientAddress, inProcess, outcomeOf, tally, type CallResult } from './support/http-calls.js';

// Races are real only on PostgreSQL (pg-mem runs one statement at a time). With CI=true an
// unreachable server fails here; locally the file is skipped with a notice.
const isPostgresUp = await postgresAvailable();

/** A store on one engine, with its Kysely instance for checks in raw SQL. */
interface Engine {
  readonly store: TesseraStore;
  readonly db: Kysely<TesseraDatabase>;
  close(): Promise<void>;
}

/** Counts rows in raw SQL: the checks must not share the code they check. */
async function count(engine: Engine, query: RawBuilder<{ n: string | number }>): Promise<number> {
  return Number((await query.execute(engine.db)).rows[0]?.n ?? 0);
}

async function activeAdmins(engine: Engine): Promise<string[]> {
  const { rows } = await sql<{ email: string }>`select email from tessera_users where role = 'ADMIN' and status = 'active' order by email`.execute(engine.db);
  return rows.map((row) => row.email);
}

/** Shared assertions, run on each engine that can hold the store. */
function describeRaces(engineName: string, open: () => Promise<Engine>, options: { isConcurrent: boolean }): void {
  describe(`races on ${engineName}`, () => {
    let engine: Engine;
    let t: TestTessera;
    beforeAll(async () => {
      engine = await open();
      t = await createTestTessera(engine.store);
    });
    afterAll(async () => engine?.close());

    it('creates exactly one account from 100 simultaneous registrations with one email; the 99 others get 409 email_taken, none an error', async () => {
      const email = uniqueEmail('same');
      const target = inProcess(t.tessera);
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, index) => call(target, 'POST', '/register', { json: { email, password: goodPassword }, clientIp: clientAddress(index) })),
      );
      expect(tally(results)).toEqual({ '201': 1, '409 email_taken': 99 });
      expect(results.filter((result) => result.status === 409).every((result) => result.contentType.startsWith('application/problem+json'))).toBe(true);
      expect(await count(engine, sql`select count(*) as n from tessera_users where email = ${email}`)).toBe(1);
      expect(await count(engine, sql`select count(*) as n from tessera_outbox where event_type = 'user.registered' and payload->'user'->>'email' = ${email}`)).toBe(1);
      expect(await count(engine, sql`select count(*) as n from tessera_one_time_tokens where email = ${email}`)).toBe(1);
    });

    it('verifies an address once when 50 requests bring its token at the same moment', async () => {
      const email = uniqueEmail('verify');
      await t.tessera.api.register({ email, password: goodPassword });
      const token = await mailedToken(t, 'user.registered', email);
      const target = inProcess(t.tessera);
      const results = await Promise.all(Array.from({ length: 50 }, (_, index) => call(target, 'POST', '/verify-email', { json: { token }, clientIp: clientAddress(index) })));
      expect(tally(results)).toEqual({ '200': 1, '400 invalid_token': 49 });
      expect(await count(engine, sql`select count(*) as n from tessera_users where email = ${email} and email_verified_at is not null`)).toBe(1);
      expect(await count(engine, sql`select count(*) as n from tessera_outbox where event_type = 'user.email_verified' and payload->'user'->>'email' = ${email}`)).toBe(1);
      expect(await count(engine, sql`select count(*) as n from tessera_one_time_tokens where email = ${email}`)).toBe(0);
    });

    if (!options.isConcurrent) return;
    // Below: races that need statements to really run side by side; pg-mem runs one at a time.

    it('lets at most one of 50 simultaneous refreshes with one token succeed, then revokes the whole family', async () => {
      const { user, tokens } = await signIn(t);
      const target = inProcess(t.tessera);
      const results = await Promise.all(Array.from({ length: 50 }, (_, index) => call(target, 'POST', '/refresh', { json: { refreshToken: tokens.refreshToken }, clientIp: clientAddress(index) })));
      const winners = results.filter((result) => result.status === 200);
      expect(winners.length).toBeLessThanOrEqual(1);
      expect(results.filter((result) => result.status !== 200).map(outcomeOf)).toEqual(Array(50 - winners.length).fill('401 invalid_refresh_token'));
      // The family is revoked: no token of the user's session can be used any more.
      expect(await count(engine, sql`select count(*) as n from tessera_refresh_tokens where user_id = ${user.id} and revoked_at is null`)).toBe(0);
      for (const winner of winners) {
        const next = await call(target, 'POST', '/refresh', { json: { refreshToken: (winner.body as { refreshToken: string }).refreshToken } });
        expect(outcomeOf(next)).toBe('401 invalid_refresh_token');
      }
    });

    it('keeps at least one active ADMIN through rounds of simultaneous demotions, deletions, suspensions and locks of every admin by every admin and by an operator', async () => {
      const outcomes = new Set<string>();
      for (let round = 0; round < 3; round += 1) {
        const admins: SignedIn[] = [];
        for (const email of await activeAdmins(engine)) {
          // Survivors of the last round sign in again: their sessions may have been ended.
          const tokens = await t.tessera.api.login({ email, password: goodPassword });
          const principal = await t.tessera.verifyAccessToken(tokens.accessToken);
          if (principal) admins.push({ user: tokens.user, tokens, principal });
        }
        while (admins.length < 4) admins.push(await signIn(t, { role: 'ADMIN' }));
        const target = inProcess(t.tessera);
        const requests: Array<Promise<CallResult>> = [];
        admins.forEach((actor, actorIndex) => {
          admins.forEach((subject, subjectIndex) => {
            if (actor === subject) return;
            const token = actor.tokens.accessToken;
            const id = subject.user.id;
            const operation = (actorIndex + subjectIndex + round) % 4;
            if (operation === 0) requests.push(call(target, 'PUT', `/users/${id}/role`, { token, json: { role: 'AUTHENTICATED' } }));
            if (operation === 1) requests.push(call(target, 'DELETE', `/users/${id}`, { token }));
            if (operation === 2) requests.push(call(target, 'POST', `/users/${id}/suspend`, { token }));
            if (operation === 3) requests.push(call(target, 'POST', `/users/${id}/lock`, { token }));
          });
        });
        // And an operator (the CLI) deletes every admin at the same time. Its calls never fail
        // for want of rights, so the one on the admin who survives must meet the last-admin rule.
        const operatorCalls = admins.map((admin) =>
          t.tessera.api.deleteUser({ operator: 'reliability' }, admin.user.id).then(
            () => '204',
            (error: unknown) => (isTesseraError(error) ? `${error.status} ${error.code}` : String(error)),
          ),
        );
        const [results, operatorOutcomes] = await Promise.all([Promise.all(requests), Promise.all(operatorCalls)]);
        for (const outcome of [...results.map(outcomeOf), ...operatorOutcomes]) outcomes.add(outcome);
        expect(results.filter((result) => result.status >= 500).map(outcomeOf)).toEqual([]);
        expect(operatorOutcomes).toContain('409 last_admin');
        expect((await activeAdmins(engine)).length).toBeGreaterThanOrEqual(1);
      }
      // Every refusal is one the API documents for these operations.
      const allowed = ['200', '204', '409 last_admin', '404 user_not_found', '401 unauthenticated', '403 forbidden'];
      expect([...outcomes].filter((outcome) => !allowed.includes(outcome))).toEqual([]);
    });
  });
}

describe.skipIf(!isPostgresUp)('PostgreSQL', () => {
  describeRaces(
    'PostgreSQL',
    async () => {
      const database: TestDatabase = await createTestDatabase();
      const postgres: PostgresStore = createPostgresStore({ connectionString: database.connectionString, maxConnections: 20 });
      await migrateToLatest(postgres.db);
      return {
        store: postgres.store,
        db: postgres.db,
        close: async () => {
          await postgres.close();
          await database.drop();
        },
      };
    },
    { isConcurrent: true },
  );
});

// The same requests through pg-mem's one-at-a-time store: the outcome a test suite on pg-mem
// sees must be the production one.
describeRaces(
  'pg-mem',
  async () => {
    const memory = await createPgMemStore();
    return {
      store: memory.store,
      db: memory.db,
      close: () => memory.close(),
    };
  },
  { isConcurrent: false },
);
