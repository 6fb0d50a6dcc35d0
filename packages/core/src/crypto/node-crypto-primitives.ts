import type * as NodeCrypto from 'node:crypto';
import type { CryptoPrimitives, JwsSigner } from './crypto-primitives.js';
import { requiredJwk, requiredSecret } from './signing-key-parts.js';

type NodeCryptoModule = typeof NodeCrypto;

const encoder = new TextEncoder();
const tagBytes = 16;

/**
 * Node's `crypto` module, found without an import statement (`process.getBuiltinModule`, Node
 * 20.16 and later) so that the core still loads in runtimes without it; `null` there, on older
 * Node releases, and on Bun and Deno, whose Node compatibility was not measured.
 */
export function loadNodeCrypto(): NodeCryptoModule | null {
  const runtime = (globalThis as { process?: { versions?: Record<string, string | undefined>; getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof runtime?.getBuiltinModule !== 'function' || runtime.versions?.bun !== undefined || runtime.versions?.deno !== undefined) return null;
  return (runtime.getBuiltinModule('node:crypto') as NodeCryptoModule | undefined) ?? null;
}

/** {@link CryptoPrimitives} on Node's `crypto` module: synchronous work, no thread-pool round trip. */
export function nodeCryptoPrimitives(node: NodeCryptoModule): CryptoPrimitives {
  return {
    async sha256Hex(text) {
      return node.createHash('sha256').update(text, 'utf8').digest('hex');
    },

    jwsSigner(algorithm, key): JwsSigner {
      if (algorithm === 'HS256') {
        let secret: Uint8Array | undefined;
        return async (signingInput) => {
          secret ??= encoder.encode(requiredSecret(key));
          return node.createHmac('sha256', secret).update(signingInput, 'utf8').digest();
        };
      }
      let privateKey: NodeCrypto.KeyObject | undefined;
      const importKey = () => {
        const { kty, crv, x, d } = requiredJwk(key);
        return node.createPrivateKey({ key: { kty, crv, x, d }, format: 'jwk' });
      };
      return async (signingInput) => {
        privateKey ??= importKey();
        return node.sign(null, encoder.encode(signingInput), privateKey);
      };
    },

    aesGcm({ secret, salt, info }) {
      let key: Uint8Array | undefined;
      const derivedKey = () => (key ??= new Uint8Array(node.hkdfSync('sha256', secret, salt, info, 32)));
      return {
        async encrypt(iv, additionalData, plaintext) {
          const cipher = node.createCipheriv('aes-256-gcm', derivedKey(), iv, { authTagLength: tagBytes });
          cipher.setAAD(additionalData);
          return concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
        },
        async decrypt(iv, additionalData, ciphertextWithTag) {
          if (ciphertextWithTag.length < tagBytes) throw new Error('The sealed data is shorter than its authentication tag.');
          const end = ciphertextWithTag.length - tagBytes;
          // authTagLength pins the tag to 16 bytes: a shortened tag is refused, never checked in part.
          const decipher = node.createDecipheriv('aes-256-gcm', derivedKey(), iv, { authTagLength: tagBytes });
          decipher.setAAD(additionalData);
          decipher.setAuthTag(ciphertextWithTag.subarray(end));
          return concat([decipher.update(ciphertextWithTag.subarray(0, end)), decipher.final()]);
        },
      };
    },
  };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
