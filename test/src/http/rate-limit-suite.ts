import type { RateLimitStore, TesseraOptions } from '@tessera/core';
import { expect, it } from 'vitest';
import { createTestTessera, goodPassword, uniqueEmail, type TestTessera } from '../fixtures.js';
import { createVerifiedUser, signIn } from '../identity/helpers.js';
import type { HttpMount, HttpSuiteContext } from './contract.js';
import { expectProblem, send } from './requests.js';

/** The proxy in front of the app in these tests: the loopback address every mount reports. */
const behindLoopbackProxy = { trustedProxies: ['127.0.0.1', '::1'] };

interface Limited {
  readonly t: TestTessera;
  readonly app: HttpMount;
  /** Sends as the client at `ip` (through the trusted proxy), or with no forwarded address. */
  readonly from: (ip: string | null) => (method: string, path: string, json?: unknown) => Promise<Response>;
}

async function limited(context: HttpSuiteContext, options: Partial<TesseraOptions> = {}): Promise<Limited> {
  const t = await createTestTessera(context.store, { http: behindLoopbackProxy, ...options, rateLimits: { enabled: true, ...options.rateLimits } });
  const app = await context.remount(t.tessera);
  return {
    t,
    app,
    from: (ip) => (method, path, json) => send(app, method, path, { ...(json !== undefined && { json }), headers: ip ? { 'x-forwarded-for': ip } : {} }),
  };
}

async function expectLimited(response: Response): Promise<number> {
  await expectProblem(response, 429, 'rate_limited');
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  return retryAfter;
}

const statusesOf = (responses: Response[]) => responses.map((response) => response.status);

async function inSequence(count: number, request: (index: number) => Promise<Response>): Promise<Response[]> {
  const responses: Response[] = [];
  for (let index = 0; index < count; index += 1) responses.push(await request(index));
  return responses;
}

/** Rate limits over HTTP: per client address (through trusted proxies only), per account, and the phantom lockout. */
export function rateLimitSuite(context: HttpSuiteContext): void {
  it('limits login attempts per client address with 429 and Retry-After; other addresses and a new window go through', async () => {
    const { t, app, from } = await limited(context, { rateLimits: { login: { limit: 3, windowSeconds: 60 } } });
    const user = await createVerifiedUser(t);
    const attacker = from('203.0.113.7');
    const wrong = { email: user.email, password: 'not the password at all' };
    expect(statusesOf(await inSequence(3, () => attacker('POST', '/auth/login', wrong)))).toEqual([401, 401, 401]);
    const retryAfter = await expectLimited(await attacker('POST', '/auth/login', { email: user.email, password: goodPassword }));
    expect(retryAfter).toBeLessThanOrEqual(60);
    // The same limit on the OAuth token endpoint: it is the same login.
    const grant = { grant_type: 'password', username: user.email, password: goodPassword };
    await expectLimited(await send(app, 'POST', '/auth/token', { form: grant, headers: { 'x-forwarded-for': '203.0.113.7' } }));

    expect((await from('198.51.100.20')('POST', '/auth/login', { email: user.email, password: goodPassword })).status).toBe(200);
    t.clock.advance(61);
    expect((await attacker('POST', '/auth/login', { email: user.email, password: goodPassword })).status).toBe(200);
  });

  it('believes X-Forwarded-For only from trusted proxies: a spoofed header from a client changes nothing', async () => {
    const { t, app } = await limited(context, { http: {}, rateLimits: { login: { limit: 2, windowSeconds: 60 } } });
    const user = await createVerifiedUser(t);
    const spoofed = (ip: string) => send(app, 'POST', '/auth/login', { json: { email: user.email, password: 'wrong password here' }, headers: { 'x-forwarded-for': ip } });
    expect((await spoofed('192.0.2.1')).status).toBe(401);
    expect((await spoofed('192.0.2.2')).status).toBe(401);
    await expectLimited(await spoofed('192.0.2.3'));
    await expectLimited(await spoofed('192.0.2.4, 192.0.2.5'));
  });

  it('counts IPv6 clients by their /64, so rotating addresses inside one network does not help', async () => {
    const { t, from } = await limited(context, { rateLimits: { login: { limit: 2, windowSeconds: 60 } } });
    const user = await createVerifiedUser(t);
    const wrong = { email: user.email, password: 'wrong password here' };
    expect((await from('2001:db8:1:2::a')('POST', '/auth/login', wrong)).status).toBe(401);
    expect((await from('2001:db8:1:2:ffff::b')('POST', '/auth/login', wrong)).status).toBe(401);
    await expectLimited(await from('2001:db8:1:2:1234:5678:9abc:def0')('POST', '/auth/login', wrong));
    expect((await from('2001:db8:1:3::a')('POST', '/auth/login', wrong)).status).toBe(401);
  });

  it('caps failed logins per address, so one address cannot lock many accounts; a right password from there waits too', async () => {
    const { t, from } = await limited(context, { rateLimits: { loginFailures: { limit: 4, windowSeconds: 900 } } });
    const users = [await createVerifiedUser(t), await createVerifiedUser(t), await createVerifiedUser(t)];
    const attacker = from('203.0.113.9');
    // Four failures spread over accounts: none reaches the per-account threshold of 5.
    const failures = await inSequence(4, (index) => attacker('POST', '/auth/login', { email: users[index % 3]!.email, password: 'guess guess guess' }));
    expect(statusesOf(failures)).toEqual([401, 401, 401, 401]);
    await expectLimited(await attacker('POST', '/auth/login', { email: users[0]!.email, password: 'guess guess guess' }));
    await expectLimited(await attacker('POST', '/auth/login', { email: users[1]!.email, password: goodPassword }));
    // The accounts themselves are not locked: their owners sign in from elsewhere.
    for (const user of users) expect((await from('198.51.100.30')('POST', '/auth/login', { email: user.email, password: goodPassword })).status).toBe(200);
  });

  it('locks an unknown address exactly as it locks an account (phantom lockout): the answers cannot tell them apart', async () => {
    const { t, from } = await limited(context);
    const user = await createVerifiedUser(t);
    const answers = async (email: string, ip: string) => {
      const responses = await inSequence(6, () => from(ip)('POST', '/auth/login', { email, password: 'wrong password here' }));
      return Promise.all(responses.map(async (response) => ({ status: response.status, code: ((await response.json()) as { code: string }).code, retryAfter: response.headers.get('retry-after') })));
    };
    const verificationsBefore = t.hasher.verifications;
    const real = await answers(user.email, '198.51.100.40');
    const realVerifications = t.hasher.verifications - verificationsBefore;
    const phantom = await answers(uniqueEmail('nobody'), '198.51.100.41');
    expect(phantom).toEqual(real);
    expect(real.map((answer) => answer.code)).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'account_locked', 'account_locked']);
    expect(real[4]?.retryAfter).toBe('900');
    // Every attempt costs one argon2 verification either way.
    expect(t.hasher.verifications - verificationsBefore - realVerifications).toBe(realVerifications);
    expect(realVerifications).toBe(6);
  });

  it('limits registrations per address', async () => {
    const { from } = await limited(context, { rateLimits: { register: { limit: 2, windowSeconds: 3600 } } });
    const client = from('203.0.113.11');
    expect((await client('POST', '/auth/register', { email: uniqueEmail(), password: goodPassword })).status).toBe(201);
    expect((await client('POST', '/auth/register', { email: uniqueEmail(), password: goodPassword })).status).toBe(201);
    await expectLimited(await client('POST', '/auth/register', { email: uniqueEmail(), password: goodPassword }));
    expect((await from('203.0.113.12')('POST', '/auth/register', { email: uniqueEmail(), password: goodPassword })).status).toBe(201);
  });

  it('answers forgot-password and resend alike for known and unknown addresses, limits them per address, and stops mailing one account past its limit', async () => {
    const { t, from } = await limited(context, { rateLimits: { mailPerIp: { limit: 4, windowSeconds: 900 }, mailPerAccount: { limit: 2, windowSeconds: 3600 } } });
    const user = await createVerifiedUser(t);
    const client = from('203.0.113.13');
    const known = await inSequence(3, (index) => from(`198.51.100.${50 + index}`)('POST', '/auth/password/forgot', { email: user.email }));
    const unknown = await inSequence(3, (index) => from(`198.51.100.${60 + index}`)('POST', '/auth/password/forgot', { email: uniqueEmail('ghost') }));
    expect(statusesOf(known)).toEqual([202, 202, 202]);
    expect(statusesOf(unknown)).toEqual([202, 202, 202]);
    expect(await Promise.all(known.map((response) => response.text()))).toEqual(await Promise.all(unknown.map((response) => response.text())));
    await t.deliver();
    // Three asked, two mailed: the third answer was the same, but nothing went out.
    expect(t.events.ofType('user.password_reset_requested', user.email)).toHaveLength(2);

    expect(statusesOf(await inSequence(4, () => client('POST', '/auth/verify-email/resend', { email: uniqueEmail() })))).toEqual([202, 202, 202, 202]);
    await expectLimited(await client('POST', '/auth/password/forgot', { email: user.email }));
  });

  it('limits submissions of mailed tokens and refreshes per address', async () => {
    const { t, from } = await limited(context, { rateLimits: { tokenSubmit: { limit: 2, windowSeconds: 60 }, refresh: { limit: 2, windowSeconds: 60 } } });
    const guesser = from('203.0.113.14');
    const guess = { token: 'A'.repeat(43) };
    expect(statusesOf(await inSequence(2, () => guesser('POST', '/auth/verify-email', guess)))).toEqual([400, 400]);
    await expectLimited(await guesser('POST', '/auth/password/reset', { ...guess, password: goodPassword }));
    await expectLimited(await guesser('POST', '/auth/email-change/confirm', guess));

    const signedIn = await signIn(t);
    const refresher = from('203.0.113.15');
    const first = await refresher('POST', '/auth/refresh', { refreshToken: signedIn.tokens.refreshToken });
    expect(first.status).toBe(200);
    const { refreshToken } = (await first.json()) as { refreshToken: string };
    expect((await refresher('POST', '/auth/refresh', { refreshToken })).status).toBe(200);
    await expectLimited(await refresher('POST', '/auth/refresh', { refreshToken }));
  });

  it('fails closed with 503 when the rate-limit store is down, or lets requests through when told to fail open', async () => {
    const broken: RateLimitStore = {
      hit: () => Promise.reject(new Error('connection refused')),
      peek: () => Promise.reject(new Error('connection refused')),
      reset: () => Promise.reject(new Error('connection refused')),
    };
    const closed = await limited(context, { rateLimits: { store: broken } });
    const user = await createVerifiedUser(closed.t);
    const down = await closed.from('203.0.113.16')('POST', '/auth/login', { email: user.email, password: goodPassword });
    await expectProblem(down, 503, 'store_unavailable');

    const open = await limited(context, { rateLimits: { store: broken, onStoreFailure: 'open' } });
    expect((await open.from('203.0.113.16')('POST', '/auth/login', { email: user.email, password: goodPassword })).status).toBe(200);
    expect((await open.from('203.0.113.16')('POST', '/auth/login', { email: uniqueEmail(), password: goodPassword })).status).toBe(401);
  });
}
