import type * as joseModule from 'jose';
import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UserId } from '../src/ids.js';
import { resolveOptions } from '../src/options.js';
import { cryptoRandom, type Clock } from '../src/ports/runtime.js';
import { AccessTokens, generateSigningKey } from '../src/tokens/access-token.js';
import { fakeHasher, fakeStore } from './fakes.js';

// Counts the full verifications jose makes, without changing what it answers.
const joseCalls = vi.hoisted(() => ({ jwtVerify: 0 }));
vi.mock('jose', async (importOriginal) => {
  const jose = await importOriginal<typeof joseModule>();
  return {
    ...jose,
    jwtVerify: (...args: Parameters<typeof jose.jwtVerify>) => {
      joseCalls.jwtVerify += 1;
      return jose.jwtVerify(...args);
    },
  };
});

const userId = '019ab6f2-1111-7000-8000-000000000001' as UserId;
const start = new Date('2026-11-24T12:00:00Z');
const key = await generateSigningKey('current');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

function clockAt(date: Date): Clock & { setMillis(millis: number): void } {
  let now = date.getTime();
  return { now: () => new Date(now), setMillis: (millis) => void (now = millis) };
}

function tokensWith(clock: Clock, tokens: Record<string, unknown> = {}): AccessTokens {
  const options = resolveOptions({ store: fakeStore, passwordHasher: fakeHasher, secret: 's'.repeat(32), tokens: { keys: [key], ...tokens } });
  return new AccessTokens(options.tokens, clock, cryptoRandom);
}

async function forge(claims: JWTPayload): Promise<string> {
  const payload = { iss: 'tessera', aud: 'tessera', sub: userId, iat: seconds(start), exp: seconds(start) + 900, jti: 'jti-1', role: 'AUTHENTICATED', sid: 'session-1', ...claims };
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: 'current', typ: 'at+jwt' }).sign(await importJWK(key.jwk, 'EdDSA'));
}

afterEach(() => {
  joseCalls.jwtVerify = 0;
});

describe('the verified-token cache', () => {
  it('verifies a repeated token with jose once and gives the same principal every time', async () => {
    const tokens = tokensWith(clockAt(start));
    const { token } = await tokens.sign({ userId, role: 'MANAGER', sessionId: 'session-1' });
    const first = await tokens.verify(token);
    const again = [await tokens.verify(token), await tokens.verify(token)];
    expect(joseCalls.jwtVerify).toBe(1);
    expect(first).toMatchObject({ userId, role: 'MANAGER', sessionId: 'session-1' });
    expect(again).toEqual([first, first]);
  });

  for (const clockToleranceSeconds of [0, 30]) {
    it(`answers a remembered token as jose does at every instant around exp + ${clockToleranceSeconds} s of tolerance`, async () => {
      const clock = clockAt(start);
      const cached = tokensWith(clock, { clockToleranceSeconds });
      const uncached = tokensWith(clock, { clockToleranceSeconds, verifiedCacheSize: 0 });
      const { token, expiresAt } = await cached.sign({ userId, role: 'AUTHENTICATED', sessionId: 'session-1' });
      expect(await cached.verify(token)).not.toBeNull();
      const lastAcceptedMillis = expiresAt.getTime() + clockToleranceSeconds * 1000 - 1;
      const instants = [lastAcceptedMillis - 1000, lastAcceptedMillis, lastAcceptedMillis + 1, lastAcceptedMillis + 1001];
      const answers: Array<[boolean, boolean]> = [];
      for (const millis of instants) {
        clock.setMillis(millis);
        answers.push([(await cached.verify(token)) !== null, (await uncached.verify(token)) !== null]);
      }
      expect(answers).toEqual([
        [true, true],
        [true, true],
        [false, false],
        [false, false],
      ]);
    });
  }

  it('keeps refusing a remembered token after it expired, even if the clock goes back', async () => {
    const clock = clockAt(start);
    const tokens = tokensWith(clock, { clockToleranceSeconds: 0 });
    const token = await forge({});
    expect(await tokens.verify(token)).not.toBeNull();
    clock.setMillis((seconds(start) + 900) * 1000);
    expect(await tokens.verify(token)).toBeNull();
    clock.setMillis(start.getTime());
    // Forgotten on expiry, so verified in full again: jose accepts it at this time, and so do we.
    expect(await tokens.verify(token)).not.toBeNull();
    expect(joseCalls.jwtVerify).toBe(3);
  });

  it('refuses a remembered token with nbf when the clock goes back before it, as jose does', async () => {
    const clock = clockAt(start);
    const cached = tokensWith(clock, { clockToleranceSeconds: 0 });
    const uncached = tokensWith(clock, { clockToleranceSeconds: 0, verifiedCacheSize: 0 });
    const token = await forge({ nbf: seconds(start) });
    expect(await cached.verify(token)).not.toBeNull();
    clock.setMillis(start.getTime() - 1000);
    expect([await cached.verify(token), await uncached.verify(token)]).toEqual([null, null]);
  });

  it('never remembers a refusal: a token not yet valid is accepted once its time comes', async () => {
    const clock = clockAt(start);
    const tokens = tokensWith(clock, { clockToleranceSeconds: 0 });
    const token = await forge({ nbf: seconds(start) + 60 });
    expect(await tokens.verify(token)).toBeNull();
    expect(await tokens.verify(token)).toBeNull();
    clock.setMillis(start.getTime() + 60_000);
    expect(await tokens.verify(token)).toMatchObject({ userId });
    expect(joseCalls.jwtVerify).toBe(3);
  });

  it('refuses a tampered copy of a remembered token', async () => {
    const tokens = tokensWith(clockAt(start));
    const { token } = await tokens.sign({ userId, role: 'AUTHENTICATED', sessionId: 'session-1' });
    expect(await tokens.verify(token)).not.toBeNull();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const otherSignature = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(await tokens.verify(`${header}.${payload}.${otherSignature}`)).toBeNull();
  });

  it('refuses a token that carries a remembered token\'s signature over other claims', async () => {
    const tokens = tokensWith(clockAt(start));
    const { token } = await tokens.sign({ userId, role: 'AUTHENTICATED', sessionId: 'session-1' });
    expect(await tokens.verify(token)).not.toBeNull();
    const [header, , signature] = token.split('.') as [string, string, string];
    const admin = Buffer.from(JSON.stringify({ iss: 'tessera', aud: 'tessera', sub: userId, iat: seconds(start), exp: seconds(start) + 900, jti: 'x', role: 'ADMIN', sid: 'session-1' })).toString('base64url');
    expect(await tokens.verify(`${header}.${admin}.${signature}`)).toBeNull();
    expect(joseCalls.jwtVerify).toBe(2);
    // The forgery did not displace the real token.
    expect(await tokens.verify(token)).toMatchObject({ role: 'AUTHENTICATED' });
    expect(joseCalls.jwtVerify).toBe(2);
  });

  it('refuses what is not a compact token without asking jose', async () => {
    const tokens = tokensWith(clockAt(start));
    for (const junk of ['', 'a.b', 'a.b.c.d', 'a+b.c.d', 'a.b.c=', `${'a'.repeat(5000)}.b.c`]) expect(await tokens.verify(junk)).toBeNull();
    expect(joseCalls.jwtVerify).toBe(0);
  });

  it('keeps a token in use for at least half the bound of new tokens after its last use', async () => {
    const tokens = tokensWith(clockAt(start), { verifiedCacheSize: 4 });
    const [kept, ...others] = await Promise.all(['kept', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8'].map((jti) => forge({ jti })));
    await tokens.verify(kept!);
    // Used after every second new token: never forgotten, however many tokens pass.
    for (const [index, other] of others.entries()) {
      await tokens.verify(other);
      if (index % 2 === 1) await tokens.verify(kept!);
    }
    expect(joseCalls.jwtVerify).toBe(1 + others.length);
    // Left alone, it goes once four new tokens have come.
    const later = await Promise.all(['m1', 'm2', 'm3', 'm4'].map((jti) => forge({ jti })));
    for (const token of later) await tokens.verify(token);
    await tokens.verify(kept!);
    expect(joseCalls.jwtVerify).toBe(1 + others.length + later.length + 1);
  });

  it('gives each caller its own principal: changing one answer does not change the next', async () => {
    const tokens = tokensWith(clockAt(start));
    const { token, expiresAt } = await tokens.sign({ userId, role: 'AUTHENTICATED', sessionId: 'session-1' });
    const first = await tokens.verify(token);
    first!.expiresAt.setTime(0);
    (first as { role: string }).role = 'ADMIN';
    expect(await tokens.verify(token)).toMatchObject({ role: 'AUTHENTICATED', expiresAt });
  });

  it('forgets the least recently used token beyond tokens.verifiedCacheSize', async () => {
    const tokens = tokensWith(clockAt(start), { verifiedCacheSize: 2 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((jti) => forge({ jti })));
    for (const token of [a, b, a, c]) await tokens.verify(token!);
    expect(joseCalls.jwtVerify).toBe(3);
    await tokens.verify(a!);
    await tokens.verify(c!);
    expect(joseCalls.jwtVerify).toBe(3);
    await tokens.verify(b!);
    expect(joseCalls.jwtVerify).toBe(4);
  });

  it('verifies every time with jose when tokens.verifiedCacheSize is 0', async () => {
    const tokens = tokensWith(clockAt(start), { verifiedCacheSize: 0 });
    const { token } = await tokens.sign({ userId, role: 'AUTHENTICATED', sessionId: 'session-1' });
    for (let round = 0; round < 3; round += 1) expect(await tokens.verify(token)).not.toBeNull();
    expect(joseCalls.jwtVerify).toBe(3);
  });

  it('takes tokens.verifiedCacheSize as a whole number from 0, 10,000 by default', () => {
    const resolve = (tokens: Record<string, unknown>) => resolveOptions({ store: fakeStore, passwordHasher: fakeHasher, secret: 's'.repeat(32), tokens: { keys: [key], ...tokens } });
    expect(resolve({}).tokens.verifiedCacheSize).toBe(10_000);
    expect(resolve({ verifiedCacheSize: 0 }).tokens.verifiedCacheSize).toBe(0);
    expect(() => resolve({ verifiedCacheSize: -1 })).toThrow(/tokens\.verifiedCacheSize/);
    expect(() => resolve({ verifiedCacheSize: 1.5 })).toThrow(/tokens\.verifiedCacheSize/);
  });
});
