import type { SigningKeyOptions } from '../options.js';
import { loadNodeCrypto, nodeCryptoPrimitives } from './node-crypto-primitives.js';
import { webCryptoPrimitives } from './web-crypto-primitives.js';

/**
 * The cryptographic operations Tessera runs on its request paths: token digests, access-token
 * signatures and the sealing of outbox secrets. Two implementations give the same bytes: Node's
 * `crypto` module where the runtime has it, Web Crypto everywhere else.
 *
 * Why not Web Crypto alone: on Node 20 each Web Crypto call pays for WebIDL argument
 * conversion, a thread-pool job and a promise. Measured in one process on the machine of
 * docs/performance.md: a SHA-256 of a token took 44 µs of CPU through `crypto.subtle.digest`
 * and 1.2 µs through `createHash`; an EdDSA access token 154 µs through jose's `SignJWT` and
 * 41 µs through `crypto.sign`. A login does one of each, a refresh two digests and a signature.
 */
export interface CryptoPrimitives {
  /** SHA-256 of a string's UTF-8 bytes, as lowercase hex. */
  sha256Hex(text: string): Promise<string>;
  /**
   * Signs JWS signing inputs (`header.payload`) with a configured key: Ed25519 from its JWK
   * (with `d`) for EdDSA, HMAC-SHA-256 with its secret for HS256. A bad key fails the first
   * signature, not this call.
   */
  jwsSigner(algorithm: 'EdDSA' | 'HS256', key: SigningKeyOptions): JwsSigner;
  /** AES-256-GCM (128-bit tag appended to the ciphertext) under a key derived with HKDF-SHA-256. */
  aesGcm(derivation: KeyDerivation): AesGcm;
}

/** Returns the raw signature of a JWS signing input. */
export type JwsSigner = (signingInput: string) => Promise<Uint8Array>;

/** HKDF-SHA-256 inputs: the secret, and UTF-8 salt and info strings. */
export interface KeyDerivation {
  readonly secret: string;
  readonly salt: string;
  readonly info: string;
}

/** Authenticated encryption with one derived key. */
export interface AesGcm {
  encrypt(iv: Uint8Array, additionalData: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array>;
  /** @throws Error when the ciphertext, its tag, the nonce or the additional data do not match. */
  decrypt(iv: Uint8Array, additionalData: Uint8Array, ciphertextWithTag: Uint8Array): Promise<Uint8Array>;
}

const nodeCrypto = loadNodeCrypto();

/** The implementation this runtime uses: Node's `crypto` when present, else Web Crypto. */
export const cryptoPrimitives: CryptoPrimitives = nodeCrypto === null ? webCryptoPrimitives : nodeCryptoPrimitives(nodeCrypto);
