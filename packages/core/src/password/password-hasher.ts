/** A password hash in PHC string format (`$argon2id$v=19$m=...`). */
export type PasswordHash = string & { readonly __brand: 'PasswordHash' };

/**
 * The port for password hashing. Tessera ships argon2id at OWASP parameters in
 * `@tessera/core/argon2`; host apps may bring another (e.g. for a platform without native
 * modules). Passwords reach the hasher already normalised (NFKC), never truncated or case-folded.
 */
export interface PasswordHasher {
  /** Hashes a password with a fresh random salt. */
  hash(password: string): Promise<PasswordHash>;
  /** Checks a password against a hash in constant time; `false` for a malformed hash. */
  verify(hash: PasswordHash, password: string): Promise<boolean>;
  /** Whether a hash was made with other parameters than the current ones (rehash on login). */
  needsRehash(hash: PasswordHash): boolean;
}
