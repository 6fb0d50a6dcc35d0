import type { SigningKeyOptions } from '../options.js';

/** The HS256 secret; the options schema guarantees it, so its absence is a programming error. */
export function requiredSecret(key: SigningKeyOptions): string {
  if (key.secret === undefined) throw new TypeError(`tokens.keys: key "${key.kid}" has no secret`);
  return key.secret;
}

/** The Ed25519 private JWK of a signing key. */
export function requiredJwk(key: SigningKeyOptions): NonNullable<SigningKeyOptions['jwk']> & { d: string } {
  if (key.jwk?.d === undefined) throw new TypeError(`tokens.keys: key "${key.kid}" has no private part (jwk.d) and cannot sign`);
  return key.jwk as NonNullable<SigningKeyOptions['jwk']> & { d: string };
}
