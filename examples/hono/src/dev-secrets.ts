import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSigningKey, type GeneratedSigningKey } from '@tessera/core';

/** The secrets Tessera needs, as a production app reads them from its environment. */
export interface AppSecrets {
  readonly secret: string;
  readonly signingKey: GeneratedSigningKey;
}

/**
 * Reads `TESSERA_SECRET` and `TESSERA_SIGNING_KEY` (a JWK from `generateSigningKey()`) from the
 * environment; for local development only, generates them once and keeps them in the data
 * folder so tokens survive a restart.
 */
export async function loadSecrets(dataDir: string): Promise<AppSecrets> {
  if (process.env.TESSERA_SECRET && process.env.TESSERA_SIGNING_KEY) {
    return { secret: process.env.TESSERA_SECRET, signingKey: JSON.parse(process.env.TESSERA_SIGNING_KEY) as GeneratedSigningKey };
  }
  const file = join(dataDir, 'dev-secrets.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as AppSecrets;
  } catch {
    const secrets: AppSecrets = { secret: randomBytes(48).toString('base64url'), signingKey: await generateSigningKey() };
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    return secrets;
  }
}
