import { base64url } from 'jose';
import { cryptoPrimitives, type AesGcm, type CryptoPrimitives } from '../crypto/crypto-primitives.js';
import type { RandomSource } from '../ports/runtime.js';

const version = 'v1';
const encoder = new TextEncoder();

/**
 * Encrypts event secrets for their stay in the outbox (AES-256-GCM, a fresh 96-bit nonce per
 * message, key derived with HKDF-SHA-256 from the app secret). A database dump therefore
 * holds no usable verification or reset token, and delivered rows hold none at all.
 */
export class SecretSealer {
  readonly #cipher: AesGcm;
  readonly #random: RandomSource;

  constructor(appSecret: string, random: RandomSource, primitives: CryptoPrimitives = cryptoPrimitives) {
    this.#random = random;
    this.#cipher = primitives.aesGcm({ secret: appSecret, salt: 'tessera', info: 'outbox-secrets/v1' });
  }

  /** Seals a JSON-serialisable value; the event id is bound as additional data. */
  async seal(value: unknown, eventId: string): Promise<string> {
    const iv = this.#random.bytes(12);
    const plaintext = encoder.encode(JSON.stringify(value));
    const ciphertext = await this.#cipher.encrypt(iv, encoder.encode(eventId), plaintext);
    return `${version}.${base64url.encode(iv)}.${base64url.encode(ciphertext)}`;
  }

  /**
   * Opens what `seal` made for the same event id.
   * @throws Error when the data was tampered with, moved to another event or sealed with another secret.
   */
  async open(sealed: string, eventId: string): Promise<unknown> {
    const [tag, iv, ciphertext] = sealed.split('.');
    if (tag !== version || iv === undefined || ciphertext === undefined) throw new Error('Unknown sealed-secret format.');
    const plaintext = await this.#cipher.decrypt(base64url.decode(iv), encoder.encode(eventId), base64url.decode(ciphertext));
    return JSON.parse(new TextDecoder().decode(plaintext));
  }
}
