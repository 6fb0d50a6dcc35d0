import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const exampleDir = join(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The example as a user runs it: a process, on the embedded database, with its own logs. */
async function startExample(dataDir: string) {
  const port = await freePort();
  // Node itself (not a package-manager wrapper), so SIGTERM reaches the app's own handler.
  const child = spawn(process.execPath, ['--conditions=@tessera/source', '--import', 'tsx', 'src/main.ts'], {
    cwd: exampleDir,
    env: { ...process.env, PORT: String(port), TESSERA_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Tessera example running at')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the example did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, base: `http://127.0.0.1:${port}`, output: () => output };
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('the Hono example (the README’s first command)', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('serves docs and health, and drives register → verify → login → protected route → refresh → logout; SIGTERM stops it cleanly', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-hono-example-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const { child, base, output } = await startExample(dataDir);
    cleanup.push(() => stop(child));

    expect((await fetch(`${base}/health`)).status).toBe(200);
    const docs = await fetch(`${base}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
    expect((await fetch(`${base}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
    const openapi = (await (await fetch(`${base}/auth/openapi.json`)).json()) as { servers: Array<{ url: string }> };
    expect(openapi.servers[0]?.url).toBe(`${base.replace('127.0.0.1', '127.0.0.1')}/auth`);

    const email = `smoke.${Date.now()}@example.com`;
    const password = 'correct horse battery staple';
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) }, body: JSON.stringify(body) });
    expect((await post('/auth/register', { email, password })).status).toBe(201);

    let link: string | undefined;
    for (let attempt = 0; attempt < 50 && !link; attempt += 1) {
      link = /^\[dev mail\] to \S+: Verify your email address → (\S+)$/m.exec(output())?.[1];
      if (!link) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(link).toBeDefined();
    const verified = await fetch(link!.replace(/^http:\/\/localhost:\d+/, base), { redirect: 'manual' });
    expect(verified.status).toBe(303);
    expect(verified.headers.get('location')).toContain('status=verified');

    const login = await post('/auth/login', { email, password });
    expect(login.status).toBe(200);
    const session = (await login.json()) as { accessToken: string; refreshToken: string };
    const hello = await fetch(`${base}/api/hello`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(hello.status).toBe(200);
    expect((await fetch(`${base}/api/reports`, { headers: { authorization: `Bearer ${session.accessToken}` } })).status).toBe(403);
    expect((await fetch(`${base}/api/hello`)).status).toBe(401);

    const refreshed = await post('/auth/refresh', { refreshToken: session.refreshToken });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as { refreshToken: string };
    expect((await post('/auth/logout', { refreshToken: next.refreshToken })).status).toBe(204);
    expect((await post('/auth/refresh', { refreshToken: next.refreshToken })).status).toBe(401);

    // Logs are structured, and no token ever reaches them.
    const lines = output().split('\n').filter((line) => line.startsWith('{'));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    const logs = lines.join('\n');
    for (const secret of [session.accessToken, session.refreshToken, next.refreshToken, password, new URL(link!).searchParams.get('token')!]) {
      expect(logs).not.toContain(secret);
    }

    expect(await stop(child)).toBe(0);
    expect(output()).toContain('"message":"stopped"');
  }, 120_000);
});
