/**
 * Admin user search at a million users: `pnpm bench:admin-search [--reseed] [--rebuild-indexes]
 * [--users=1000000] [--runs=200] [--only=<part of a scenario name>] [--no-explain]`.
 *
 * Creates (or reuses) a dedicated database (`BENCH_DATABASE_URL`, default
 * `postgres://postgres@127.0.0.1:5432/tessera_bench`), migrates it, seeds the users with
 * set-based SQL, then times Tessera's real `listUsers` on a `createPostgresStore` store for
 * every admin query shape, and prints p50/p95/p99 and the `EXPLAIN (ANALYZE, BUFFERS)` of
 * each statement. Separate from the tests; see docs/admin-search-performance.md.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createTessera, generateSigningKey, type PasswordHash, type PasswordHasher } from '../packages/core/src/index.js';
import { createKyselyStore } from '../packages/kysely/src/kysely-store.js';
import { createTesseraMigrator, migrateToLatest } from '../packages/kysely/src/migrator.js';
import { createPostgresStore, type PostgresStore } from '../packages/kysely/src/postgres.js';
import { measure, type Timing } from './admin-search/measure.js';
import { probes } from './admin-search/probes.js';
import { capturingKysely, explainAnalyze, type CapturedQuery } from './admin-search/query-capture.js';
import { adminSearchScenarios } from './admin-search/scenarios.js';
import { seedUsers } from './admin-search/seed-users.js';

const targetP95Millis = 20;

/** `listUsers` never hashes a password. */
const unusedHasher: PasswordHasher = {
  hash: () => Promise.reject(new Error('the bench hashes no password')),
  verify: async () => false,
  needsRehash: (_hash: PasswordHash) => false,
};

const { values: args } = parseArgs({
  options: {
    reseed: { type: 'boolean', default: false },
    'rebuild-indexes': { type: 'boolean', default: false },
    users: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '200' },
    only: { type: 'string' },
    'no-explain': { type: 'boolean', default: false },
  },
});
const isSelected = (name: string) => args.only === undefined || name.includes(args.only);
const userCount = positiveInteger('--users', args.users);
const runs = positiveInteger('--runs', args.runs);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tessera_bench';

await prepareDatabase();
await runScenarios();

/**
 * Creates, migrates and seeds the bench database, unless a finished seed of the same size is
 * there. Only a database the bench made itself (it has `tessera_bench_seed`) is ever dropped;
 * an empty one is seeded in place, and any other is refused.
 */
async function prepareDatabase(): Promise<void> {
  const found = await inspectDatabase();
  if (found.kind === 'foreign') {
    throw new Error(`${redact(databaseUrl)} holds tables the bench did not make; point BENCH_DATABASE_URL at a database of its own`);
  }
  if (found.kind !== 'seeded' || found.users !== userCount || args.reseed) {
    if (found.kind !== 'empty') await recreateDatabase(found.kind !== 'missing');
    await seedFresh();
    return;
  }
  // Setup statements run far longer than the store's 5 s statement timeout.
  const setup = createPostgresStore({ connectionString: databaseUrl, maxConnections: 1, statementTimeoutMillis: 0 });
  try {
    if (args['rebuild-indexes']) {
      const down = await createTesseraMigrator(setup.db).migrateTo('0001-identity');
      if (down.error) throw new Error('migrating down to 0001 failed', { cause: down.error });
      console.log(`indexes of migration 0002 rebuilt in ${await secondsOf(() => migrateToLatest(setup.db))} s`);
      await setup.pool.query('vacuum analyze tessera_users');
    }
    const { results = [] } = await migrateToLatest(setup.db);
    if (results.length > 0) await setup.pool.query('vacuum analyze tessera_users');
    console.log(`reusing ${found.users.toLocaleString('en')} seeded users in ${redact(databaseUrl)} (--reseed to rebuild)`);
  } finally {
    await setup.close();
  }
}

type DatabaseState =
  | { readonly kind: 'missing' | 'empty' | 'unfinished' | 'foreign' }
  | { readonly kind: 'seeded'; readonly users: number };

/** What is at `BENCH_DATABASE_URL`: the marker table is made first and marked finished last. */
async function inspectDatabase(): Promise<DatabaseState> {
  const store = createPostgresStore({ connectionString: databaseUrl, maxConnections: 1 });
  try {
    const { rows } = await store.pool.query<{ users: number; finished: boolean }>('select users, finished from tessera_bench_seed');
    return rows[0]?.finished ? { kind: 'seeded', users: rows[0].users } : { kind: 'unfinished' };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // 3D000: no such database. 42P01: no marker table.
    if (code === '3D000') return { kind: 'missing' };
    if (code !== '42P01') throw error;
    const { rows } = await store.pool.query("select 1 from information_schema.tables where table_schema = 'public'");
    return { kind: rows.length === 0 ? 'empty' : 'foreign' };
  } finally {
    await store.close();
  }
}

async function recreateDatabase(exists: boolean): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const maintenance = createPostgresStore({ connectionString: url.toString(), maxConnections: 1, statementTimeoutMillis: 0 });
  try {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    if (exists) await maintenance.pool.query(`drop database ${quoted} with (force)`);
    await maintenance.pool.query(`create database ${quoted}`);
  } finally {
    await maintenance.close();
  }
}

/**
 * Seeds a new database: migration 0001 only, the users, then migration 0002, so its indexes are
 * built over the full table (and the build time of an upgrade at this size is on record).
 */
async function seedFresh(): Promise<void> {
  const setup = createPostgresStore({ connectionString: databaseUrl, maxConnections: 1, statementTimeoutMillis: 0 });
  try {
    await setup.pool.query(
      'create table tessera_bench_seed (users integer not null, finished boolean not null default false, seed_seconds real, index_seconds real, analyze_seconds real)',
    );
    await setup.pool.query('insert into tessera_bench_seed (users) values ($1)', [userCount]);
    const migrated = await createTesseraMigrator(setup.db).migrateTo('0001-identity');
    if (migrated.error) throw new Error('migration 0001 failed', { cause: migrated.error });
    console.log(`seeding ${userCount.toLocaleString('en')} users into ${redact(databaseUrl)} ...`);
    const client = await setup.pool.connect();
    const seedSeconds = await secondsOf(() =>
      seedUsers(client, userCount, (done) => process.stdout.write(`\r  ${done.toLocaleString('en')} users`)).finally(() => client.release()),
    );
    console.log(`\n  inserted in ${seedSeconds} s`);
    const indexSeconds = await secondsOf(() => migrateToLatest(setup.db));
    console.log(`  migration 0002 (indexes over the full table) in ${indexSeconds} s`);
    const analyzeSeconds = await secondsOf(() => setup.pool.query('vacuum analyze tessera_users'));
    console.log(`  vacuum analyze in ${analyzeSeconds} s`);
    await setup.pool.query('update tessera_bench_seed set finished = true, seed_seconds = $1, index_seconds = $2, analyze_seconds = $3', [seedSeconds, indexSeconds, analyzeSeconds]);
  } finally {
    await setup.close();
  }
}

async function runScenarios(): Promise<void> {
  // The store as an app would open it: default pool, timeouts and all.
  const postgres = createPostgresStore({ connectionString: databaseUrl });
  const captured: CapturedQuery[] = [];
  const tessera = await benchTessera(postgres.store);
  const capturing = await benchTessera(createKyselyStore(capturingKysely(postgres.db, captured)));
  const operator = { operator: 'bench' } as const;
  try {
    await printMachine(postgres);
    const results: TableRow[] = [];
    const plans: Array<{ name: string; plans: string[] }> = [];
    for (const scenario of adminSearchScenarios().filter((scenario) => isSelected(scenario.name))) {
      const input = typeof scenario.input === 'function' ? await scenario.input(tessera.api) : scenario.input;
      const page = await tessera.api.listUsers(operator, input);
      const timing = await measure(() => tessera.api.listUsers(operator, input), { warmupRuns: 10, runs, minimumRuns: 30, budgetMillis: 20_000 });
      results.push({ name: scenario.name, timing, rows: page.items.length, total: page.total });
      process.stdout.write(`  ${scenario.name}: p95 ${timing.p95Millis.toFixed(1)} ms\n`);
      if (!args['no-explain']) {
        captured.length = 0;
        await capturing.api.listUsers(operator, input);
        plans.push({ name: scenario.name, plans: await Promise.all(captured.map((query) => explainAnalyze(postgres.pool, query))) });
      }
    }
    const probeResults: TableRow[] = [];
    for (const probe of probes.filter((probe) => isSelected(probe.name))) {
      const parameters = (await probe.prepare?.(postgres.pool)) ?? [];
      const timing = await measure(() => probe.run(postgres.pool, parameters), { warmupRuns: 10, runs, minimumRuns: 30, budgetMillis: 20_000 });
      probeResults.push({ name: probe.name, timing, rows: null, total: null });
    }
    // The write probe's rolled-back updates leave dead rows and pages no longer all-visible,
    // which index-only counts of the next run would pay for.
    await postgres.pool.query('vacuum tessera_users');
    console.log(`\n## Latency of tessera.api.listUsers (ms; target p95 <= ${targetP95Millis})\n`);
    printTable(results);
    console.log('\n## Probes: raw SQL for the proposals in the doc, not Tessera code paths (ms)\n');
    printTable(probeResults);
    for (const { name, plans: statements } of plans) {
      console.log(`\n### ${name}\n`);
      for (const plan of statements) console.log(`${plan}\n`);
    }
  } finally {
    await Promise.all([tessera.close(), capturing.close()]);
    await postgres.close();
  }
}

/** Tessera on a store, configured for nothing but the admin listing (an operator caller needs no user). */
async function benchTessera(store: PostgresStore['store']) {
  return createTessera({ store, passwordHasher: unusedHasher, secret: 'bench-secret-that-is-at-least-32-characters', tokens: { keys: [await generateSigningKey('bench')] } });
}

async function printMachine(postgres: PostgresStore): Promise<void> {
  const query = async (text: string) => (await postgres.pool.query<Record<string, string>>(text)).rows;
  const [version] = await query('select version() as version');
  const settings = await query(
    "select name, setting, unit from pg_settings where name in ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'max_parallel_workers_per_gather', 'maintenance_work_mem', 'jit') order by name",
  );
  const sizes = await query(
    "select c.relname as name, pg_size_pretty(pg_relation_size(c.oid)) as size from pg_class c where c.relname like 'tessera_users%' and c.relkind in ('r', 'i') order by pg_relation_size(c.oid) desc",
  );
  const [seed] = await query('select users, seed_seconds, index_seconds, analyze_seconds from tessera_bench_seed');
  const cpuList = cpus();
  console.log('\n## Machine\n');
  console.log(`CPU: ${cpuList.length} x ${cpuList[0]?.model ?? 'unknown'}`);
  console.log(`Node: ${process.version}`);
  console.log(`PostgreSQL: ${version?.version ?? 'unknown'}`);
  console.log(`Settings: ${settings.map((row) => `${row.name}=${row.setting}${row.unit ?? ''}`).join(', ')}`);
  if (seed) {
    console.log(`Seed: ${Number(seed.users).toLocaleString('en')} users inserted in ${seed.seed_seconds} s; migration 0002 indexes built in ${seed.index_seconds} s; vacuum analyze ${seed.analyze_seconds} s`);
  }
  console.log(`Sizes: ${sizes.map((row) => `${row.name} ${row.size}`).join(', ')}\n`);
}

interface TableRow {
  readonly name: string;
  readonly timing: Timing;
  readonly rows: number | null;
  readonly total: number | null;
}

function printTable(rows: readonly TableRow[]): void {
  if (rows.length === 0) return void console.log('(none selected)');
  const width = Math.max(...rows.map((row) => row.name.length));
  const milliseconds = (value: number) => value.toFixed(1).padStart(7);
  console.log(`| ${'scenario'.padEnd(width)} |     p50 |     p95 |     p99 | runs | rows |     total | flag |`);
  console.log(`|${'-'.repeat(width + 2)}|--------:|--------:|--------:|-----:|-----:|----------:|------|`);
  for (const { name, timing, rows: rowCount, total } of rows) {
    const flag = timing.p95Millis > targetP95Millis ? 'SLOW' : '';
    const cells = [
      name.padEnd(width),
      milliseconds(timing.p50Millis),
      milliseconds(timing.p95Millis),
      milliseconds(timing.p99Millis),
      String(timing.runs).padStart(4),
      String(rowCount ?? '').padStart(4),
      (total === null ? '' : total.toLocaleString('en')).padStart(9),
      flag.padEnd(4),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  const slow = rows.filter((row) => row.timing.p95Millis > targetP95Millis);
  console.log(slow.length === 0 ? '\nEvery row is within the target.' : `\n${slow.length} above the target: ${slow.map((row) => row.name).join('; ')}`);
}

function positiveInteger(option: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new Error(`${option} takes a positive whole number, not ${value}`);
  return parsed;
}

async function secondsOf(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return Math.round((performance.now() - started) / 100) / 10;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
