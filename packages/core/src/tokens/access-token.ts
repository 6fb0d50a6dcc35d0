import { base64url, errors as joseErrors, type CryptoKey, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import { isUserRole, type UserRole } from '../auth/roles.js';
import { cryptoPrimitives, type CryptoPrimitives, type JwsSigner } from '../crypto/crypto-primitives.js';
import { requiredSecret } from '../crypto/signing-key-parts.js';
import { isUuid, type UserId } from '../ids.js';
import type { ResolvedOptions, SigningKeyOptions } from '../options.js';
import type { Clock, RandomSource } from '../ports/runtime.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

/**
 * Who a verified access token speaks for. Built from the token alone (no database round trip);
 * the role is as of the token's issue, at most one access-token lifetime old.
 */
export interface Principal {
  readonly userId: UserId;
  readonly role: UserRole;
  /** The login session (refresh-token family) the token was issued for. */
  readonly sessionId: string;
  /** The token's own id (`jti`). */
  readonly tokenId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

/** A freshly signed access token. */
export interface SignedAccessToken {
  readonly token: string;
  readonly expiresAt: Date;
}

/** The `typ` header of access tokens (RFC 9068), checked on every verification. */
export const accessTokenType = 'at+jwt';

type JoseKey = CryptoKey | Uint8Array;

/** Three base64url segments: anything else is refused before jose parses it. */
const compactJws = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Signs and verifies access tokens. The verifier is jose's, pinned to one algorithm, the
 * issuer, the audience, the `typ` header and the required claims, and resolves keys only from
 * the configured list by `kid`: headers such as `jku`, `x5u` or `jwk` are never followed.
 * Signing writes the compact JWS itself (a fixed header and eight claims Tessera chose) and
 * signs it with {@link CryptoPrimitives}: the same bytes jose's `SignJWT` makes, at a quarter
 * of its CPU on Node (see crypto-primitives.ts).
 */
export class AccessTokens {
  readonly #options: ResolvedOptions['tokens'];
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #signer: JwsSigner;
  readonly #encodedHeader: string;
  readonly #keys: Promise<ReadonlyMap<string, JoseKey>>;
  readonly #verified: VerifiedTokenCache | null;

  constructor(options: ResolvedOptions['tokens'], clock: Clock, random: RandomSource, primitives: CryptoPrimitives = cryptoPrimitives) {
    this.#options = options;
    this.#clock = clock;
    this.#random = random;
    this.#verified = options.verifiedCacheSize === 0 ? null : new VerifiedTokenCache(options.verifiedCacheSize, options.clockToleranceSeconds);
    const signer = options.keys[0]!;
    this.#signer = primitives.jwsSigner(options.algorithm, signer);
    this.#encodedHeader = base64url.encode(JSON.stringify({ alg: options.algorithm, kid: signer.kid, typ: accessTokenType }));
    this.#keys = importVerificationKeys(options);
    // Surface a bad key at the first use, not as an unhandled rejection at start-up.
    this.#keys.catch(() => undefined);
  }

  /** Signs an access token for a user's session. */
  async sign(subject: { userId: UserId; role: UserRole; sessionId: string }): Promise<SignedAccessToken> {
    const issuedAtSeconds = Math.floor(this.#clock.now().getTime() / 1000);
    const expiresAtSeconds = issuedAtSeconds + this.#options.accessTokenTtlSeconds;
    const claims = {
      role: subject.role,
      sid: subject.sessionId,
      iss: this.#options.issuer,
      aud: this.#options.audience,
      sub: subject.userId,
      iat: issuedAtSeconds,
      exp: expiresAtSeconds,
      jti: base64url.encode(this.#random.bytes(16)),
    };
    const signingInput = `${this.#encodedHeader}.${base64url.encode(JSON.stringify(claims))}`;
    const signature = await this.#signer(signingInput);
    return { token: `${signingInput}.${base64url.encode(signature)}`, expiresAt: new Date(expiresAtSeconds * 1000) };
  }

  /**
   * Verifies an access token. Returns `null` for anything that is not a valid, unexpired token
   * of this issuer and audience (never throws for bad input).
   *
   * A token verified before is answered from a bounded memory (`tokens.verifiedCacheSize`)
   * while jose would still accept it at the clock's time: the same answer, without repeating
   * the signature check. Per-user revocation is not a property of the token: the services
   * check `sessionsValidAfter` against the principal's `issuedAt` on every privileged call.
   */
  async verify(token: string): Promise<Principal | null> {
    if (token.length > 4096) return null;
    const now = this.#clock.now();
    const remembered = this.#verified?.get(token, now);
    if (remembered) return remembered;
    if (!compactJws.test(token)) return null;
    const keys = await this.#keys;
    const getKey: JWTVerifyGetKey = (header) => {
      const key = header.kid === undefined ? undefined : keys.get(header.kid);
      if (!key) throw new joseErrors.JWKSNoMatchingKey();
      return key;
    };
    try {
      const { payload } = await jwtVerify(token, getKey, {
        algorithms: [this.#options.algorithm],
        issuer: this.#options.issuer,
        audience: this.#options.audience,
        typ: accessTokenType,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        clockTolerance: this.#options.clockToleranceSeconds,
        currentDate: now,
      });
      const { sub, role, sid, jti, iat, exp, nbf } = payload as Record<string, unknown>;
      if (typeof sub !== 'string' || !isUuid(sub) || !isUserRole(role) || typeof sid !== 'string' || typeof jti !== 'string') return null;
      const principal: Principal = {
        userId: sub as UserId,
        role,
        sessionId: sid,
        tokenId: jti,
        issuedAt: new Date((iat as number) * 1000),
        expiresAt: new Date((exp as number) * 1000),
      };
      // jose has checked that exp (required) and nbf (if present) are numbers.
      this.#verified?.remember(token, principal, { expiresAtSeconds: exp as number, notBeforeSeconds: nbf as number | undefined });
      return principal;
    } catch {
      return null;
    }
  }

  /**
   * The public keys as a JWKS document, for services that verify Tessera's tokens themselves.
   * Empty with HS256: a shared secret is never published.
   */
  async jwks(): Promise<{ keys: JWK[] }> {
    if (this.#options.algorithm !== 'EdDSA') return { keys: [] };
    return {
      keys: this.#options.keys.map((key) => {
        const { kty, crv, x } = key.jwk!;
        return { kty, crv, x, kid: key.kid, alg: 'EdDSA', use: 'sig' };
      }),
    };
  }
}

/** Every configured key by `kid`: Ed25519 public keys, or HS256 secrets. */
async function importVerificationKeys(options: ResolvedOptions['tokens']): Promise<ReadonlyMap<string, JoseKey>> {
  const entries = await Promise.all(
    options.keys.map(async (key): Promise<[string, JoseKey]> => {
      if (options.algorithm === 'HS256') return [key.kid, secretBytes(key)];
      const { kty, crv, x } = key.jwk!;
      return [key.kid, await importEd25519({ kty, crv, x })];
    }),
  );
  return new Map(entries);
}

async function importEd25519(jwk: JWK): Promise<CryptoKey> {
  const key = await importJWK(jwk, 'EdDSA');
  if (key instanceof Uint8Array) throw new TypeError('An Ed25519 JWK imported as a symmetric key.');
  return key;
}

function secretBytes(key: SigningKeyOptions): Uint8Array {
  // The options schema guarantees the secret; never fall back to an empty key.
  return new TextEncoder().encode(requiredSecret(key));
}

/** A signing key in the shape `tokens.keys` takes. */
export interface GeneratedSigningKey {
  readonly kid: string;
  readonly jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; d: string };
}

/**
 * Generates a new Ed25519 signing key for `tokens.keys`. Store it as a secret (it contains the
 * private part) and put it first in the list; keep the previous key after it until every token
 * it signed has expired.
 *
 * @example
 * ```ts
 * const key = await generateSigningKey();
 * console.log(JSON.stringify(key)); // save as TESSERA_SIGNING_KEY
 * ```
 */
export async function generateSigningKey(kid = `k-${new Date().toISOString().slice(0, 10)}-${base64url.encode(crypto.getRandomValues(new Uint8Array(4)))}`): Promise<GeneratedSigningKey> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  return { kid, jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x!, d: jwk.d! } };
}
