import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, postgresAvailable } from '@tessera/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startExample, waitFor, type ExampleProcess } from './example-process.js';
import { promoteWithExampleCli } from './promote-user.js';
import { startSmtpInbox, type SmtpInbox } from './smtp-inbox.js';

const allowedOrigin = 'http://app.example.test';
const password = 'correct horse battery staple';

/** How the example is run: the embedded default, or PostgreSQL with real SMTP. */
interface Setup {
  readonly env: Record<string, string>;
  /** The verification link sent to `email`, however the mail went out. */
  verificationLink(app: ExampleProcess, email: string): Promise<string>;
}

/**
 * The smoke test every example passes, written once: the app runs as a process on a free port
 * and is driven over HTTP through register → verify (the link from the mail) → login → its own
 * protected route (403 for a plain user; 200 once an operator made the user MANAGER, after a
 * restart on the same data) → refresh → logout; health, CORS, security headers and the API
 * docs page under its CSP are checked, and SIGTERM must end it with exit code 0.
 *
 * @param title - the framework's name, for the test names.
 * @param dir - the example's folder (its `src/main.ts` is started).
 */
export function describeExampleSmoke(title: string, dir: string): void {
  describe(`the ${title} example`, () => {
    const cleanup: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      for (const step of cleanup.splice(0).reverse()) await step();
    });

    it('runs on the embedded database with the dev mailbox, keeps its data across a restart and stops cleanly on SIGTERM', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'tessera-example-'));
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      await runScenario(dir, cleanup, {
        env: { TESSERA_DATA_DIR: dataDir },
        async verificationLink(app, email) {
          const line = new RegExp(`^\\[dev mail\\] to ${email.replace(/[.+]/g, '\\$&')}: .* → (\\S+/auth/verify-email\\?token=\\S+)$`, 'm');
          await waitFor(() => line.test(app.output()), 20_000, () => `no verification link on the terminal:\n${app.output()}`);
          const link = line.exec(app.output())![1]!;
          const mailbox = await (await fetch(`${app.base}/dev/mail`)).text();
          expect(mailbox).toContain(email);
          return link;
        },
      });
    });

    it('runs on PostgreSQL (DATABASE_URL) with real SMTP (SMTP_URL)', async (context) => {
      // Skipped with a printed notice when no server answers; with CI=true that is a failure.
      if (!(await postgresAvailable())) return context.skip('PostgreSQL is unreachable (see the notice above)');
      const database = await createTestDatabase();
      cleanup.push(() => database.drop());
      const inbox: SmtpInbox = await startSmtpInbox();
      cleanup.push(() => inbox.close());
      const dataDir = await mkdtemp(join(tmpdir(), 'tessera-example-'));
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      await runScenario(dir, cleanup, {
        env: { TESSERA_DATA_DIR: dataDir, DATABASE_URL: database.connectionString, SMTP_URL: inbox.url, MAIL_FROM: 'no-reply@example.test' },
        async verificationLink(_app, email) {
          await waitFor(() => inbox.mails.some((mail) => mail.to.includes(email)), 20_000, () => `no mail to ${email} reached the SMTP server`);
          const mail = inbox.mails.find((received) => received.to.includes(email))!;
          const link = /(http\S+\/auth\/verify-email\?token=[\w%-]+)/.exec(mail.text)?.[1];
          expect(link, mail.text).toBeDefined();
          return link!;
        },
      });
    });
  });
}

async function runScenario(dir: string, cleanup: Array<() => Promise<unknown>>, setup: Setup): Promise<void> {
  const env = { ...setup.env, CORS_ORIGINS: allowedOrigin };
  let app = await startExample(dir, env);
  cleanup.push(() => app.stop());
  await expectHealthHeadersAndDocs(app.base);

  // A plain user: registers, follows the mailed link, logs in, and is refused the report.
  const email = `smoke.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  const registered = await post(app.base, '/auth/register', { email, password });
  expect(registered.status).toBe(201);
  const { user } = (await registered.json()) as { user: { id: string; username: string } };
  const link = new URL(await setup.verificationLink(app, email));
  const verified = await fetch(`${app.base}${link.pathname}${link.search}`, { redirect: 'manual' });
  expect(verified.status).toBe(303);
  expect(verified.headers.get('location')).toMatch(/\/account\/email\?status=verified$/);
  const landing = await fetch(`${app.base}/account/email?status=verified`);
  expect(landing.status).toBe(200);
  expect(await landing.text()).toContain('is verified');
  const first = await login(app.base, email);
  expect((await fetch(`${app.base}/api/reports/users`)).status).toBe(401);
  expect((await fetch(`${app.base}/api/reports/users`, bearer(first.accessToken))).status).toBe(403);
  expect(await app.stop()).toBe(0);
  expectStoppedCleanly(app);
  const secrets = [password, first.accessToken, first.refreshToken, link.searchParams.get('token')!];
  expectNoSecretsInLogs(app, secrets);

  // An operator makes the user a manager with the example's own `tessera` script, as the guides
  // say; the app starts again on the same data.
  await promoteWithExampleCli(dir, setup.env, email);
  app = await startExample(dir, env);
  cleanup.push(() => app.stop());
  // The role change ended the user's sessions.
  expect((await post(app.base, '/auth/refresh', { refreshToken: first.refreshToken })).status).toBe(401);
  const manager = await login(app.base, email);
  const report = await fetch(`${app.base}/api/reports/users`, bearer(manager.accessToken));
  expect(report.status).toBe(200);
  const body = (await report.json()) as { requestedBy: string; byRole: Record<string, number>; newestUsers: Array<{ username: string }> };
  expect(body.requestedBy).toBe(user.id);
  expect(body.byRole.MANAGER).toBe(1);
  expect(body.newestUsers.map((listed) => listed.username)).toContain(user.username);

  const refreshed = await post(app.base, '/auth/refresh', { refreshToken: manager.refreshToken });
  expect(refreshed.status).toBe(200);
  const next = (await refreshed.json()) as { refreshToken: string };
  expect((await post(app.base, '/auth/logout', { refreshToken: next.refreshToken })).status).toBe(204);
  expect((await post(app.base, '/auth/refresh', { refreshToken: next.refreshToken })).status).toBe(401);

  expect(await app.stop()).toBe(0);
  expectStoppedCleanly(app);
  expectNoSecretsInLogs(app, [...secrets, manager.accessToken, manager.refreshToken, next.refreshToken]);
}

/** Health with a database round trip, the security headers, CORS, and the docs page under its CSP. */
async function expectHealthHeadersAndDocs(base: string): Promise<void> {
  const health = await fetch(`${base}/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', checks: { database: { status: 'ok' } } });
  expect(health.headers.get('x-content-type-options')).toBe('nosniff');
  expect(health.headers.get('referrer-policy')).toBe('no-referrer');
  expect(health.headers.get('x-frame-options')).toMatch(/^(DENY|SAMEORIGIN)$/);

  const allowed = await preflight(base, allowedOrigin);
  expect(allowed.status).toBeLessThan(300);
  expect(allowed.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
  expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
  expect((await preflight(base, 'http://evil.example.test')).headers.get('access-control-allow-origin')).toBeNull();

  // The docs page: served under a CSP that allows no inline script, so every script must be
  // an external file of the same origin, and every one of them must load.
  const docs = await fetch(`${base}/docs`);
  expect(docs.status).toBe(200);
  const csp = docs.headers.get('content-security-policy') ?? '';
  expect(csp).toMatch(/script-src 'self'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  const page = await docs.text();
  expect(page).toContain('swagger-ui');
  expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
  const assets = [...page.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1]!, docs.url));
  expect(assets.length).toBeGreaterThan(1);
  for (const asset of assets) {
    expect(asset.origin).toBe(new URL(base).origin);
    expect((await fetch(asset)).status, asset.href).toBe(200);
  }
  const openapi = await fetch(`${base}/auth/openapi.json`);
  expect(openapi.status).toBe(200);
  expect(((await openapi.json()) as { openapi: string }).openapi).toMatch(/^3\.1\./);
}

function preflight(base: string, origin: string): Promise<Response> {
  return fetch(`${base}/auth/login`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
}

async function login(base: string, email: string): Promise<{ accessToken: string; refreshToken: string }> {
  const response = await post(base, '/auth/login', { email, password });
  expect(response.status).toBe(200);
  return (await response.json()) as { accessToken: string; refreshToken: string };
}

function post(base: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function bearer(token: string): RequestInit {
  return { headers: { authorization: `Bearer ${token}` } };
}

function expectStoppedCleanly(app: ExampleProcess): void {
  const records = app.logRecords();
  expect(records.some((record) => (record.msg ?? record.message) === 'stopped'), app.output()).toBe(true);
}

/** Every log line is JSON, and none holds a password or a token (the dev mail lines are not logs). */
function expectNoSecretsInLogs(app: ExampleProcess, secrets: readonly string[]): void {
  const records = app.logRecords();
  expect(records.length).toBeGreaterThan(3);
  const logs = records.map((record) => JSON.stringify(record)).join('\n');
  for (const secret of secrets) expect(logs).not.toContain(secret);
}
