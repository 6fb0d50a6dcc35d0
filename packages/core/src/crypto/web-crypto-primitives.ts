import type { CryptoKey } from 'jose';
import type { SigningKeyOptions } from '../options.js';
import type { CryptoPrimitives, JwsSigner } from './crypto-primitives.js';
import { requiredJwk, requiredSecret } from './signing-key-parts.js';

const encoder = new TextEncoder();
const hex = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** {@link CryptoPrimitives} on Web Crypto (`crypto.subtle`): any runtime with Web Crypto and Ed25519. */
export const webCryptoPrimitives: CryptoPrimitives = {
  async sha256Hex(text) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
    return Array.from(digest, (byte) => hex[byte]!).join('');
  },

  jwsSigner(algorithm, key): JwsSigner {
    let signingKey: Promise<CryptoKey> | undefined;
    const name = algorithm === 'EdDSA' ? 'Ed25519' : 'HMAC';
    return async (signingInput) => {
      signingKey ??= importSigningKey(algorithm, key);
      return new Uint8Array(await crypto.subtle.sign(name, await signingKey, encoder.encode(signingInput)));
    };
  },

  aesGcm({ secret, salt, info }) {
    let key: Promise<CryptoKey> | undefined;
    const derivedKey = () =>
      (key ??= crypto.subtle
        .importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
        .then((material) =>
          crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: encoder.encode(salt), info: encoder.encode(info) }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']),
        ));
    return {
      encrypt: async (iv, additionalData, plaintext) => new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, await derivedKey(), plaintext)),
      decrypt: async (iv, additionalData, ciphertext) => new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData }, await derivedKey(), ciphertext)),
    };
  },
};

async function importSigningKey(algorithm: 'EdDSA' | 'HS256', key: SigningKeyOptions): Promise<CryptoKey> {
  if (algorithm === 'HS256') {
    return crypto.subtle.importKey('raw', encoder.encode(requiredSecret(key)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  }
  const { kty, crv, x, d } = requiredJwk(key);
  return crypto.subtle.importKey('jwk', { kty, crv, x, d }, { name: 'Ed25519' }, false, ['sign']);
}
