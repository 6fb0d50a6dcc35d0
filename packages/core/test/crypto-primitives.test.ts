import * as nodeCrypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cryptoPrimitives, type CryptoPrimitives } from '../src/crypto/crypto-primitives.js';
import { nodeCryptoPrimitives } from '../src/crypto/node-crypto-primitives.js';
import { webCryptoPrimitives } from '../src/crypto/web-crypto-primitives.js';

const implementations: ReadonlyArray<readonly [string, CryptoPrimitives]> = [
  ['node:crypto', nodeCryptoPrimitives(nodeCrypto)],
  ['Web Crypto', webCryptoPrimitives],
];

const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16));
const toHex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
const b64url = (hex: string) => Buffer.from(fromHex(hex)).toString('base64url');

// RFC 8032 §7.1, tests 1 and 2 (the message of test 2 is the single byte 0x72, "r").
const ed25519Key = (kid: string, publicHex: string, secretHex: string) => ({ kid, jwk: { kty: 'OKP' as const, crv: 'Ed25519' as const, x: b64url(publicHex), d: b64url(secretHex) } });
const rfc8032Key = ed25519Key('test-1', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const rfc8032Key2 = ed25519Key('test-2', '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb');
const encoder = new TextEncoder();
const aad = encoder.encode('event-1');
const iv = fromHex('000102030405060708090a0b');
const derivation = { secret: 'an-app-secret-that-is-32-chars-long', salt: 'tessera', info: 'outbox-secrets/v1' };

describe.each(implementations)('crypto primitives on %s', (_name, primitives) => {
  it('hashes with SHA-256 (FIPS 180-2 "abc") and encodes UTF-8 before hashing', async () => {
    expect(await primitives.sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await primitives.sha256Hex('pässwörd ✓')).toBe(nodeCrypto.createHash('sha256').update(Buffer.from('pässwörd ✓', 'utf8')).digest('hex'));
  });

  it('signs with Ed25519 as RFC 8032 test vectors 1 and 2 say', async () => {
    expect(toHex(await primitives.jwsSigner('EdDSA', rfc8032Key)(''))).toBe('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b');
    expect(toHex(await primitives.jwsSigner('EdDSA', rfc8032Key2)('r'))).toBe('92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00');
  });

  it('signs with HMAC-SHA-256 as RFC 4231 test case 2 says', async () => {
    const sign = primitives.jwsSigner('HS256', { kid: 'rfc4231', secret: 'Jefe' });
    expect(toHex(await sign('what do ya want for nothing?'))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('fails the first signature, not the construction, when the key cannot sign', async () => {
    const sign = primitives.jwsSigner('EdDSA', { kid: 'public-only', jwk: { ...rfc8032Key.jwk, d: undefined } });
    await expect(sign('x')).rejects.toThrow('has no private part');
  });

  it('decrypts what it encrypted, and refuses other additional data, a flipped bit and a cut tag', async () => {
    const cipher = primitives.aesGcm(derivation);
    const sealed = await cipher.encrypt(iv, aad, encoder.encode('{"token":"t"}'));
    expect(sealed).toHaveLength(13 + 16);
    expect(new TextDecoder().decode(await cipher.decrypt(iv, aad, sealed))).toBe('{"token":"t"}');
    await expect(cipher.decrypt(iv, encoder.encode('event-2'), sealed)).rejects.toThrow();
    const flipped = Uint8Array.from(sealed);
    flipped[3]! ^= 1;
    await expect(cipher.decrypt(iv, aad, flipped)).rejects.toThrow();
    await expect(cipher.decrypt(iv, aad, sealed.subarray(0, sealed.length - 1))).rejects.toThrow();
    await expect(cipher.decrypt(iv, aad, sealed.subarray(0, 8))).rejects.toThrow();
    await expect(primitives.aesGcm({ ...derivation, secret: 'another-app-secret-also-32-chars-long' }).decrypt(iv, aad, sealed)).rejects.toThrow();
  });
});

describe('the two implementations', () => {
  const [[, node], [, web]] = implementations as [readonly [string, CryptoPrimitives], readonly [string, CryptoPrimitives]];

  it('seal with the same derived key: each opens what the other sealed, byte for byte', async () => {
    const plaintext = encoder.encode(JSON.stringify({ token: 'abc', n: 1 }));
    const byNode = await node.aesGcm(derivation).encrypt(iv, aad, plaintext);
    const byWeb = await web.aesGcm(derivation).encrypt(iv, aad, plaintext);
    expect(toHex(byNode)).toBe(toHex(byWeb));
    expect(await web.aesGcm(derivation).decrypt(iv, aad, byNode)).toEqual(plaintext);
    expect(await node.aesGcm(derivation).decrypt(iv, aad, byWeb)).toEqual(plaintext);
  });

  it('is node:crypto on Node, where Web Crypto costs far more per call', () => {
    expect(cryptoPrimitives).not.toBe(webCryptoPrimitives);
  });
});
