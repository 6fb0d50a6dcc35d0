import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSigningKey, type SigningKeyOptions } from '@tessera/core';

/** The secrets Tessera needs, as a production app reads them from its environment. */
export interface AppSecrets {
  /** `TESSERA_SECRET`: encrypts the secrets waiting in the outbox. */
  readonly secret: string;
  /** `TESSERA_SIGNING_KEY`: the first key signs access tokens, the others only verify (key rotation). */
  readonly signingKeys: readonly SigningKeyOptions[];
  /** Where they came from, for the start-up banner. */
  readonly source: 'environment' | 'development file';
}

/**
 * Reads `TESSERA_SECRET` and `TESSERA_SIGNING_KEY` from the environment. The signing key is the
 * JSON of `generateSigningKey()`, or a JSON array of such keys while rotating (the new key
 * first). For local development only, both are generated once and kept in
 * `<dataDir>/dev-secrets.json` (mode 600) so tokens survive a restart; the `tessera` CLI reads
 * the secret from there too (`--data-dir`).
 *
 * @throws Error when only one of the two variables is set, when the key is not JSON, or in
 * production (`isProduction`) when they are missing.
 */
export async function loadSecrets(dataDir: string, options: { isProduction: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<AppSecrets> {
  const { TESSERA_SECRET: secret, TESSERA_SIGNING_KEY: signingKey } = env;
  if (secret && signingKey) return { secret, signingKeys: parseSigningKeys(signingKey), source: 'environment' };
  if (secret || signingKey) throw new Error('Set both TESSERA_SECRET and TESSERA_SIGNING_KEY, or neither (development only).');
  if (options.isProduction) throw new Error('NODE_ENV=production: set TESSERA_SECRET and TESSERA_SIGNING_KEY (see docs/getting-started.md, step 3).');

  const file = join(dataDir, 'dev-secrets.json');
  const stored = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (stored !== null) {
    const parsed = JSON.parse(stored) as { secret: string; signingKey: SigningKeyOptions };
    return { secret: parsed.secret, signingKeys: [parsed.signingKey], source: 'development file' };
  }
  const created = { secret: randomBytes(48).toString('base64url'), signingKey: await generateSigningKey() };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(created, null, 2), { mode: 0o600, flag: 'wx' });
  return { secret: created.secret, signingKeys: [created.signingKey], source: 'development file' };
}

function parseSigningKeys(value: string): SigningKeyOptions[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // Never echo the value: it is a private key.
    throw new Error('TESSERA_SIGNING_KEY must be the JSON of generateSigningKey() (or a JSON array of keys, the signing key first).');
  }
  // Checked in full by createTessera, which names the offending field.
  return (Array.isArray(parsed) ? parsed : [parsed]) as SigningKeyOptions[];
}
