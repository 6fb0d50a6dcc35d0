import { createPrivateKey, generateKeyPairSync, sign, createHmac, type KeyObject } from 'node:crypto';
import type { GeneratedSigningKey } from '@tessera/core';

/** The ways an access token can be wrong (or right for a user the store no longer matches). */
export const forgeryKinds = [
  'alg-none',
  'expired',
  'issued-in-future',
  'wrong-key',
  'unknown-kid',
  'no-kid',
  'hs256-with-public-key',
  'wrong-typ',
  'wrong-issuer',
  'wrong-audience',
  'sub-not-uuid',
  'unknown-role',
  'never-existed-user',
  'role-above-the-user',
  'tampered-payload',
  'no-signature',
  'huge',
] as const;

export type ForgeryKind = (typeof forgeryKinds)[number];

/** Who a forged token names and when "now" is. */
export interface ForgerySubject {
  readonly key: GeneratedSigningKey;
  readonly issuer: string;
  readonly audience: string;
  readonly now: Date;
  /** A real user id (for the role-above-the-user case: an AUTHENTICATED user claiming ADMIN). */
  readonly userId: string;
  readonly neverExistedId: string;
}

const encode = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * One forged access token of each kind, signed with node:crypto directly (not with the code
 * under test). Several carry a valid signature: they stand for states a real deployment
 * reaches (a user deleted or demoted while its token lives), which must never be a 5xx.
 */
export function forgeTokens(subject: ForgerySubject): Record<ForgeryKind, string> {
  const realKey = createPrivateKey({ key: { ...subject.key.jwk }, format: 'jwk' });
  const otherKey = generateKeyPairSync('ed25519').privateKey;
  const nowSeconds = Math.floor(subject.now.getTime() / 1000);
  const header = { alg: 'EdDSA', kid: subject.key.kid, typ: 'at+jwt' };
  const claims = { role: 'ADMIN', sid: 'fuzz-session', iss: subject.issuer, aud: subject.audience, sub: subject.neverExistedId, iat: nowSeconds, exp: nowSeconds + 900, jti: 'fuzz-jti' };
  const signed = (h: object, c: object, key: KeyObject = realKey): string => {
    const input = `${encode(h)}.${encode(c)}`;
    return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
  };
  const good = signed(header, claims);
  const [goodHeader, , goodSignature] = good.split('.');
  const hsInput = `${encode({ ...header, alg: 'HS256' })}.${encode(claims)}`;
  return {
    'alg-none': `${encode({ alg: 'none', typ: 'at+jwt', kid: subject.key.kid })}.${encode(claims)}.`,
    expired: signed(header, { ...claims, iat: nowSeconds - 7200, exp: nowSeconds - 3600 }),
    'issued-in-future': signed(header, { ...claims, iat: nowSeconds + 86_400, nbf: nowSeconds + 86_400, exp: nowSeconds + 90_000 }),
    'wrong-key': signed(header, claims, otherKey),
    'unknown-kid': signed({ ...header, kid: 'no-such-key' }, claims),
    'no-kid': signed({ alg: 'EdDSA', typ: 'at+jwt' }, claims),
    'hs256-with-public-key': `${hsInput}.${createHmac('sha256', subject.key.jwk.x).update(hsInput).digest('base64url')}`,
    'wrong-typ': signed({ ...header, typ: 'JWT' }, claims),
    'wrong-issuer': signed(header, { ...claims, iss: 'someone-else' }),
    'wrong-audience': signed(header, { ...claims, aud: 'someone-else' }),
    'sub-not-uuid': signed(header, { ...claims, sub: '../../admin' }),
    'unknown-role': signed(header, { ...claims, role: 'ROOT' }),
    'never-existed-user': good,
    'role-above-the-user': signed(header, { ...claims, sub: subject.userId }),
    'tampered-payload': `${goodHeader}.${encode({ ...claims, sub: subject.userId })}.${goodSignature}`,
    'no-signature': `${goodHeader}.${encode(claims)}`,
    huge: signed(header, { ...claims, pad: 'x'.repeat(6000) }),
  };
}
