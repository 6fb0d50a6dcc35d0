import { base64url, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import type { UserId } from '../src/ids.js';
import { resolveOptions } from '../src/options.js';
import * as nodeCrypto from 'node:crypto';
import { nodeCryptoPrimitives } from '../src/crypto/node-crypto-primitives.js';
import { webCryptoPrimitives } from '../src/crypto/web-crypto-primitives.js';
import { cryptoRandom, type Clock, type RandomSource } from '../src/ports/runtime.js';
import { AccessTokens, generateSigningKey } from '../src/tokens/access-token.js';
import { fakeHasher, fakeStore } from './fakes.js';

const userId = '019ab6f2-1111-7000-8000-000000000001' as UserId;
const start = new Date('2026-11-24T12:00:00Z');
const current = await generateSigningKey('current');
const retired = await generateSigningKey('retired');

function clockAt(date: Date): Clock & { advance(seconds: number): void } {
  let now = date.getTime();
  return { now: () => new Date(now), advance: (seconds) => void (now += seconds * 1000) };
}

function tokensWith(keys: unknown[], clock = clockAt(start), extra: Record<string, unknown> = {}) {
  const options = resolveOptions({ store: fakeStore, passwordHasher: fakeHasher, secret: 's'.repeat(32), tokens: { keys, ...extra } });
  return new AccessTokens(options.tokens, clock, cryptoRandom);
}

/** Signs a token the way an attacker (or a test) chooses, with the current private key. */
async function forge(payload: JWTPayload, header: Record<string, unknown> = {}, key: CryptoKey | Uint8Array | null = null) {
  const signingKey = key ?? (await importJWK(current.jwk, 'EdDSA'));
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', kid: 'current', typ: 'at+jwt', ...header })
    .sign(signingKey);
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const validClaims = (): JWTPayload => ({
  iss: 'tessera',
  aud: 'tessera',
  sub: userId,
  iat: seconds(start),
  exp: seconds(start) + 900,
  jti: 'jti-1',
  role: 'AUTHENTICATED',
  sid: 'session-1',
});

describe('access tokens', () => {
  it('signs a short-lived EdDSA token with iss, aud, sub, iat, exp, jti, kid and typ at+jwt, and verifies it', async () => {
    const tokens = tokensWith([current, retired]);
    const { token, expiresAt } = await tokens.sign({ userId, role: 'MANAGER', sessionId: 'session-9' });
    const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(new TextDecoder().decode(base64url.decode(part))) as Record<string, unknown>);
    expect(header).toEqual({ alg: 'EdDSA', kid: 'current', typ: 'at+jwt' });
    expect(Object.keys(payload!).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'role', 'sid', 'sub']);
    expect(expiresAt).toEqual(new Date(start.getTime() + 900_000));
    expect(await tokens.verify(token)).toMatchObject({ userId, role: 'MANAGER', sessionId: 'session-9', expiresAt });
  });

  it('accepts a crafted token with the right claims (the baseline for the attacks below)', async () => {
    expect(await tokensWith([current]).verify(await forge(validClaims()))).toMatchObject({ userId });
  });

  it('rejects a token whose payload was tampered with', async () => {
    const token = await forge(validClaims());
    const [header, , signature] = token.split('.');
    const tampered = base64url.encode(JSON.stringify({ ...validClaims(), role: 'ADMIN' }));
    expect(await tokensWith([current]).verify(`${header}.${tampered}.${signature}`)).toBeNull();
  });

  it('rejects an expired token beyond the 30-second leeway, and accepts one within it', async () => {
    const clock = clockAt(start);
    const tokens = tokensWith([current], clock);
    const token = await forge(validClaims());
    clock.advance(900 + 29);
    expect(await tokens.verify(token)).not.toBeNull();
    clock.advance(2);
    expect(await tokens.verify(token)).toBeNull();
  });

  it('rejects a token not yet valid (nbf beyond the leeway)', async () => {
    expect(await tokensWith([current]).verify(await forge({ ...validClaims(), nbf: seconds(start) + 120 }))).toBeNull();
  });

  it('rejects wrong audience, wrong issuer and missing required claims', async () => {
    const tokens = tokensWith([current]);
    expect(await tokens.verify(await forge({ ...validClaims(), aud: 'another-app' }))).toBeNull();
    expect(await tokens.verify(await forge({ ...validClaims(), iss: 'https://evil.example' }))).toBeNull();
    for (const claim of ['exp', 'iat', 'sub', 'jti'] as const) {
      const claims = validClaims();
      delete claims[claim];
      expect(await tokens.verify(await forge(claims))).toBeNull();
    }
    expect(await tokens.verify(await forge({ ...validClaims(), role: 'SUPERUSER' }))).toBeNull();
    expect(await tokens.verify(await forge({ ...validClaims(), sub: 'not-a-uuid' }))).toBeNull();
  });

  it('rejects alg none', async () => {
    const unsigned = [
      base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: 'current' })),
      base64url.encode(JSON.stringify(validClaims())),
      '',
    ].join('.');
    expect(await tokensWith([current]).verify(unsigned)).toBeNull();
  });

  it('rejects an HS256 token signed with the public key as secret (algorithm confusion)', async () => {
    const publicKeyBytes = base64url.decode(current.jwk.x);
    const confused = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'HS256', kid: 'current', typ: 'at+jwt' }).sign(publicKeyBytes);
    expect(await tokensWith([current]).verify(confused)).toBeNull();
  });

  it('rejects a token of the wrong type (an ID token is not an access token)', async () => {
    expect(await tokensWith([current]).verify(await forge(validClaims(), { typ: 'JWT' }))).toBeNull();
  });

  it('ignores keys offered in the header (jwk, jku, x5u) and unknown or path-like kids', async () => {
    const attacker = await generateKeyPair('EdDSA', { extractable: true });
    const attackerJwk = await exportJWK(attacker.publicKey);
    const tokens = tokensWith([current]);
    expect(await tokens.verify(await forge(validClaims(), { jwk: attackerJwk, kid: undefined }, attacker.privateKey))).toBeNull();
    expect(await tokens.verify(await forge(validClaims(), { jku: 'https://evil.example/jwks.json', kid: 'evil' }, attacker.privateKey))).toBeNull();
    expect(await tokens.verify(await forge(validClaims(), { x5u: 'https://evil.example/cert.pem' }, attacker.privateKey))).toBeNull();
    expect(await tokens.verify(await forge(validClaims(), { kid: '../../../dev/null' }))).toBeNull();
  });

  it('verifies tokens of a retired key kept in the list, but signs only with the first', async () => {
    const old = tokensWith([retired]);
    const { token } = await old.sign({ userId, role: 'AUTHENTICATED', sessionId: 's' });
    expect(await tokensWith([current, { kid: 'retired', jwk: { ...retired.jwk, d: undefined } }]).verify(token)).toMatchObject({ userId });
    expect(await tokensWith([current]).verify(token)).toBeNull();
  });

  it('publishes only public parts in the JWKS', async () => {
    const { keys } = await tokensWith([current, retired]).jwks();
    expect(keys).toEqual([
      { kty: 'OKP', crv: 'Ed25519', x: current.jwk.x, kid: 'current', alg: 'EdDSA', use: 'sig' },
      { kty: 'OKP', crv: 'Ed25519', x: retired.jwk.x, kid: 'retired', alg: 'EdDSA', use: 'sig' },
    ]);
  });

  it('works with HS256, never publishes the secret, and refuses EdDSA tokens in that mode', async () => {
    const tokens = tokensWith([{ kid: 'hs', secret: 'a-shared-secret-of-at-least-32-bytes!' }], clockAt(start), { algorithm: 'HS256' });
    const { token } = await tokens.sign({ userId, role: 'AUTHENTICATED', sessionId: 's' });
    expect(await tokens.verify(token)).toMatchObject({ userId });
    expect(await tokens.jwks()).toEqual({ keys: [] });
    expect(await tokens.verify(await forge({ ...validClaims() }, { kid: 'hs' }))).toBeNull();
  });

  it('answers garbage and oversized input with null', async () => {
    const tokens = tokensWith([current]);
    for (const garbage of ['', 'a.b.c', 'not a token', '....', `${'a'.repeat(5000)}.b.c`]) {
      expect(await tokens.verify(garbage)).toBeNull();
    }
  });

  it.each([
    ['EdDSA', [current], importJWK(current.jwk, 'EdDSA')],
    ['HS256', [{ kid: 'hs', secret: 'a-shared-secret-of-at-least-32-bytes!' }], Promise.resolve(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!'))],
  ] as const)('signs %s tokens byte for byte as jose SignJWT does, on node:crypto and on Web Crypto', async (algorithm, keys, joseKey) => {
    const sameBytes: RandomSource = { bytes: (length) => new Uint8Array(length).fill(7) };
    const options = resolveOptions({ store: fakeStore, passwordHasher: fakeHasher, secret: 's'.repeat(32), tokens: { keys, algorithm } });
    const subject = { userId, role: 'MANAGER' as const, sessionId: 'session-ü' };
    const expected = await new SignJWT({ role: subject.role, sid: subject.sessionId })
      .setProtectedHeader({ alg: algorithm, kid: keys[0].kid, typ: 'at+jwt' })
      .setIssuer('tessera')
      .setAudience('tessera')
      .setSubject(userId)
      .setIssuedAt(seconds(start))
      .setExpirationTime(seconds(start) + 900)
      .setJti(base64url.encode(sameBytes.bytes(16)))
      .sign(await joseKey);
    for (const primitives of [nodeCryptoPrimitives(nodeCrypto), webCryptoPrimitives]) {
      const { token } = await new AccessTokens(options.tokens, clockAt(start), sameBytes, primitives).sign(subject);
      expect(token).toBe(expected);
    }
  });
});
