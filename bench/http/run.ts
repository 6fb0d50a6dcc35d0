/**
 * The HTTP benchmark: `pnpm bench:http [--seconds=10] [--connections=20] [--argon2-connections=10]
 * [--users=100] [--token-pool=40000]`.
 *
 * Starts the Hono example as a child process (PGlite in a temporary folder, or PostgreSQL at
 * `DATABASE_URL`), with `BENCH=1` and `TESSERA_RATE_LIMITS=off`; creates verified users with
 * the `tessera` CLI first; measures the raw jose (EdDSA) and argon2id verification rates in this
 * process while the server is idle; then drives every route with autocannon, one after another,
 * and prints each figure against its ceiling. Separate from the tests; see docs/performance.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSigningKey, resolveOptions, systemClock, cryptoRandom, type PasswordHash, type TesseraStore, type UserId } from '../../packages/core/src/index.js';
import { AccessTokens } from '../../packages/core/src/tokens/access-token.js';
import { argon2VerifyCeiling, joseVerifyCeiling } from './ceilings.js';
import { postgresCpuMillis, runTesseraCli, startExampleServer, type BenchDatabase } from './example-server.js';
import { describeMachine, printReport, type Comparison } from './report.js';
import { measureHttp, type HttpFigure, type HttpScenario } from './scenarios.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    'argon2-connections': { type: 'string', default: '10' },
    users: { type: 'string', default: '100' },
    'token-pool': { type: 'string', default: '40000' },
  },
});
const seconds = positiveInteger('--seconds', args.seconds);
const connections = positiveInteger('--connections', args.connections);
const argon2Connections = positiveInteger('--argon2-connections', args['argon2-connections']);
const userCount = positiveInteger('--users', args.users);
const tokenPoolSize = positiveInteger('--token-pool', args['token-pool']);
const password = 'Zq8vLr2pWx7mNk4tHs9c-bench';
const runId = randomBytes(4).toString('hex');
const json = { 'content-type': 'application/json' } as const;
const loadAtStart = loadavg();

const workDir = await mkdtemp(join(tmpdir(), 'tessera-bench-http-'));
const database: BenchDatabase = process.env.DATABASE_URL ? { kind: 'postgres', url: process.env.DATABASE_URL } : { kind: 'pglite', dataDir: join(workDir, 'data') };
try {
  await run();
} finally {
  await rm(workDir, { recursive: true, force: true });
}

async function run(): Promise<void> {
  const signingKey = await generateSigningKey('bench');
  const emails = Array.from({ length: userCount }, (_, index) => `bench-${runId}-user-${index}@bench.test`);
  const adminEmail = `bench-${runId}-admin@bench.test`;

  log(`preparing ${database.kind === 'postgres' ? 'PostgreSQL at DATABASE_URL' : `PGlite in ${database.dataDir}`}: migrations, ${userCount} verified users and one admin (tessera CLI)`);
  await runTesseraCli(['migrate', 'latest'], database);
  const csv = join(workDir, 'users.csv');
  await writeFile(csv, ['email,password,role', `${adminEmail},${password},ADMIN`, ...emails.map((email) => `${email},${password},`)].join('\n'));
  await runTesseraCli(['import', 'users', csv, '--verified'], database);

  const server = await startExampleServer({ port: await freePort(), database, secret: randomBytes(48).toString('base64url'), signingKey: JSON.stringify(signingKey) });
  try {
    const admin = await login(server.origin, adminEmail);
    const user = await login(server.origin, emails[0]!);

    log(`signing a pool of ${tokenPoolSize} distinct access tokens with the library's signer and the server's key`);
    const freshTokens = await signTokenPool(signingKey, user.userId);

    log('measuring the ceilings (server idle): jose EdDSA verify, argon2id verify on two loops');
    const jose = await joseVerifyCeiling(freshTokens, { kty: signingKey.jwk.kty, crv: signingKey.jwk.crv, x: signingKey.jwk.x }, 5);
    const argon2 = await argon2VerifyCeiling(5, availableParallelism());

    log(`warming up the server (3 s), then ${seconds} s per route`);
    const light = { connections, seconds };
    const heavy = { connections: argon2Connections, seconds };
    await measureHttp(server, { name: 'warm-up', method: 'GET', path: '/bench/me', headers: bearer(user.accessToken) }, { connections, seconds: 3 });

    const figures: Record<string, HttpFigure> = {};
    const measure = async (scenario: HttpScenario, options: { connections: number; seconds: number }) => {
      log(`  ${scenario.name}`);
      figures[scenario.name] = await measureHttp(server, scenario, { ...options, ...(database.kind === 'postgres' && { databaseCpuMillis: postgresCpuMillis }) });
    };
    await measure({ name: 'bare route', method: 'GET', path: '/bench/bare' }, light);
    await measure({ name: 'guarded route, repeated token', method: 'GET', path: '/bench/me', headers: bearer(user.accessToken) }, light);
    let nextToken = 0;
    await measure({ name: 'guarded route, fresh token', method: 'GET', path: '/bench/me', next: () => ({ headers: bearer(freshTokens[nextToken++ % freshTokens.length]!) }) }, light);
    await measure({ name: 'GET /auth/me (reads the user)', method: 'GET', path: '/auth/me', headers: bearer(user.accessToken) }, light);
    await measure({ name: 'listUsers (admin, first page)', method: 'GET', path: '/auth/users', headers: bearer(admin.accessToken) }, light);
    await measure(refreshScenario(server.origin, await loginPool(server.origin, emails, connections * 2)), light);
    let nextUser = 0;
    await measure({ name: 'login', method: 'POST', path: '/auth/login', headers: json, next: () => ({ body: JSON.stringify({ email: emails[nextUser++ % emails.length], password }) }) }, heavy);
    let registered = 0;
    await measure({ name: 'register', method: 'POST', path: '/auth/register', headers: json, next: () => ({ body: JSON.stringify({ email: `bench-${runId}-new-${registered++}@bench.test`, password }) }) }, heavy);

    const comparisons: Comparison[] = [
      { figure: figures['bare route']!, ceiling: null, target: null },
      { figure: figures['guarded route, repeated token']!, ceiling: { name: 'bare route', perSecond: figures['bare route']!.requestsPerSecond }, target: 0.8 },
      { figure: figures['guarded route, fresh token']!, ceiling: { name: 'jose verify', perSecond: jose.perSecond }, target: 0.9 },
      { figure: figures['GET /auth/me (reads the user)']!, ceiling: { name: 'bare route', perSecond: figures['bare route']!.requestsPerSecond }, target: null },
      { figure: figures['listUsers (admin, first page)']!, ceiling: null, target: null },
      { figure: figures['refresh']!, ceiling: null, target: null },
      { figure: figures['login']!, ceiling: { name: 'argon2 verify', perSecond: argon2.perSecond }, target: 0.9 },
      { figure: figures['register']!, ceiling: { name: 'argon2 verify', perSecond: argon2.perSecond }, target: 0.9 },
    ];
    // A fresh token costs the bare route's work plus one jose verification on the same cores,
    // so even a free guard stays below the jose ceiling: this is what costs adding up predicts.
    const bareRate = figures['bare route']!.requestsPerSecond;
    const additiveModel = 1 / (1 / bareRate + 1 / jose.perSecond);
    const fresh = figures['guarded route, fresh token']!.requestsPerSecond;
    const notes = [
      `fresh token vs costs adding up (1 / (1 / bare + 1 / jose verify) = ${Math.round(additiveModel).toLocaleString('en-US')} req/s): ${Math.round((fresh / additiveModel) * 100)}%`,
      freeGuardBound(figures['bare route']!, jose),
      cpuBeyondBare('guarded route, repeated token', 'the cached verification and the guard'),
      cpuBeyondBare('guarded route, fresh token', `one jose verification costs ${jose.cpuMillisPerOperation.toFixed(3)} ms CPU in the ceiling`),
      ...(['login', 'register'] as const).map((name) => {
        const figure = figures[name]!;
        const server = figure.serverCpuMillisPerRequest;
        if (server === null) return `${name}: server CPU per request unknown (no /proc)`;
        const argon2Run = argon2.cpuMillisPerOperation;
        const machine = server + figure.loadGeneratorCpuMillisPerRequest + (figure.databaseCpuMillisPerRequest ?? 0);
        const database = figure.databaseCpuMillisPerRequest === null ? '' : `, PostgreSQL ${figure.databaseCpuMillisPerRequest.toFixed(2)} ms`;
        return (
          `${name}: one argon2id run is ${argon2Run.toFixed(1)} ms of CPU; the server spends ${server.toFixed(1)} ms per request (main thread ${figure.mainThreadCpuMillisPerRequest?.toFixed(2) ?? '?'} ms), ` +
          `the load generator ${figure.loadGeneratorCpuMillisPerRequest.toFixed(2)} ms${database}: argon2 is ${Math.round((argon2Run / server) * 100)}% of the server's CPU and ${Math.round((argon2Run / machine) * 100)}% of the machine's (target >= 90%)`
        );
      }),
    ];
    /**
     * A request with a fresh token does one jose verification and the bare route's work, and the
     * load generator shares the cores: even a guard that cost nothing else could not go faster
     * than the cores divided by those CPU times together.
     */
    function freeGuardBound(bare: HttpFigure, ceiling: { perSecond: number; cpuMillisPerOperation: number }): string {
      if (bare.serverCpuMillisPerRequest === null) return 'fresh token: the bound for a free guard is unknown (no /proc)';
      const cpuMillis = ceiling.cpuMillisPerOperation + bare.serverCpuMillisPerRequest + bare.loadGeneratorCpuMillisPerRequest;
      const bound = (availableParallelism() * 1000) / cpuMillis;
      return (
        `fresh token, the most a guard costing nothing beyond jose could reach here: ${availableParallelism()} cores / (jose ${ceiling.cpuMillisPerOperation.toFixed(3)} + bare route ${bare.serverCpuMillisPerRequest.toFixed(3)} + load generator ${bare.loadGeneratorCpuMillisPerRequest.toFixed(3)} ms) = ` +
        `${Math.round(bound).toLocaleString('en-US')} req/s, ${Math.round((bound / ceiling.perSecond) * 100)}% of the jose ceiling (target 90%)`
      );
    }
    function cpuBeyondBare(name: string, what: string): string {
      const route = figures[name]!.serverCpuMillisPerRequest;
      const bare = figures['bare route']!.serverCpuMillisPerRequest;
      if (route === null || bare === null) return `${name}: server CPU per request unknown (no /proc)`;
      return `${name}: server CPU ${route.toFixed(3)} ms per request, ${(route - bare).toFixed(3)} ms above the bare route (${what})`;
    }
    printReport({
      notes,
      machine: await describeMachine(),
      database: database.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'PGlite (temporary folder)',
      loadAtStart,
      loadAtEnd: loadavg(),
      ceilings: [
        { name: 'jose verify', perSecond: jose.perSecond, detail: `EdDSA, jwtVerify with Tessera's options, 8 in flight, ${jose.operations} in ${jose.seconds.toFixed(1)} s, ${jose.cpuMillisPerOperation.toFixed(3)} ms CPU each` },
        { name: 'argon2 verify', perSecond: argon2.perSecond, detail: `argon2id ${argon2.parameters}, ${availableParallelism()} loops, ${argon2.operations} in ${argon2.seconds.toFixed(1)} s, ${argon2.cpuMillisPerOperation.toFixed(1)} ms CPU each` },
      ],
      comparisons,
    });
  } finally {
    await server.stop();
  }
}

/**
 * Refresh tokens rotate: each one works once. The pool starts with one session per two
 * connections' worth of logins; a request takes a token out, and its answer puts the rotated
 * one back, so no token is ever sent twice (that would be reuse and end the session).
 */
function refreshScenario(origin: string, pool: string[]): HttpScenario {
  return {
    name: 'refresh',
    method: 'POST',
    path: '/auth/refresh',
    headers: json,
    next: () => {
      const refreshToken = pool.shift();
      if (refreshToken === undefined) throw new Error(`the refresh-token pool at ${origin} ran dry: too many answers failed`);
      return { body: JSON.stringify({ refreshToken }) };
    },
    onResponse: (status, body) => {
      if (status === 200) pool.push((JSON.parse(body) as { refreshToken: string }).refreshToken);
    },
  };
}

async function loginPool(origin: string, emails: readonly string[], size: number): Promise<string[]> {
  const sessions = await Promise.all(Array.from({ length: size }, (_, index) => login(origin, emails[index % emails.length]!)));
  return sessions.map((session) => session.refreshToken);
}

async function login(origin: string, email: string): Promise<{ userId: string; accessToken: string; refreshToken: string }> {
  const response = await fetch(`${origin}/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
  if (!response.ok) throw new Error(`login of ${email} answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { accessToken: string; refreshToken: string; user: { id: string } };
  return { userId: body.user.id, accessToken: body.accessToken, refreshToken: body.refreshToken };
}

/**
 * Distinct tokens for the fresh-token run, more than `tokens.verifiedCacheSize` (10,000): cycled
 * in order through a least-recently-used cache smaller than the pool, every request misses.
 */
async function signTokenPool(signingKey: Awaited<ReturnType<typeof generateSigningKey>>, userId: string): Promise<string[]> {
  const unusedStore = { transaction: () => Promise.reject(new Error('unused')), ping: () => Promise.resolve() } as unknown as TesseraStore;
  const unusedHasher = { hash: async () => '' as PasswordHash, verify: async () => false, needsRehash: () => false };
  const options = resolveOptions({ store: unusedStore, passwordHasher: unusedHasher, secret: randomBytes(32).toString('hex'), tokens: { keys: [signingKey] } });
  const signer = new AccessTokens(options.tokens, systemClock, cryptoRandom);
  const tokens: string[] = [];
  while (tokens.length < tokenPoolSize) {
    const batch = Math.min(256, tokenPoolSize - tokens.length);
    const signed = await Promise.all(Array.from({ length: batch }, (_, index) => signer.sign({ userId: userId as UserId, role: 'AUTHENTICATED', sessionId: `bench-${tokens.length + index}` })));
    tokens.push(...signed.map((token) => token.token));
  }
  return tokens;
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function positiveInteger(flag: string, value: string | undefined): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${flag} must be a positive integer, not "${value}"`);
  return parsed;
}

function log(message: string): void {
  process.stderr.write(`bench:http ${new Date().toISOString().slice(11, 19)} ${message}\n`);
}
