import { base64url, type CryptoKey } from 'jose';
import type { RandomSource } from '../ports/runtime.js';

const version = 'v1';
const encoder = new TextEncoder();

/**
 * Encrypts event secrets for their stay in the outbox (AES-256-GCM, a fresh 96-bit nonce per
 * message, key derived with HKDF-SHA-256 from the app secret). A database dump therefore
 * holds no usable verification or reset token, and delivered rows hold none at all.
 */
export class SecretSealer {
  readonly #key: Promise<CryptoKey>;
  readonly #random: RandomSource;

  constructor(appSecret: string, random: RandomSource) {
    this.#random = random;
    this.#key = deriveKey(appSecret);
  }

  /** Seals a JSON-serialisable value; the event id is bound as additional data. */
  async seal(value: unknown, eventId: string): Promise<string> {
    const iv = this.#random.bytes(12);
    const plaintext = encoder.encode(JSON.stringify(value));
    const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(eventId) }, await this.#key, plaintext);
    return `${version}.${base64url.encode(iv)}.${base64url.encode(new Uint8Array(ciphertext))}`;
  }

  /**
   * Opens what `seal` made for the same event id.
   * @throws Error when the data was tampered with, moved to another event or sealed with another secret.
   */
  async open(sealed: string, eventId: string): Promise<unknown> {
    const [tag, iv, ciphertext] = sealed.split('.');
    if (tag !== version || iv === undefined || ciphertext === undefined) throw new Error('Unknown sealed-secret format.');
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: base64url.decode(iv), additionalData: encoder.encode(eventId) },
      await this.#key,
      base64url.decode(ciphertext),
    );
    return JSON.parse(new TextDecoder().decode(plaintext));
  }
}

async function deriveKey(appSecret: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(appSecret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('tessera'), info: encoder.encode('outbox-secrets/v1') },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}
