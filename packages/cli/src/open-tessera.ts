import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTessera, generateSigningKey, type PasswordHasher, type Tessera, type TesseraStore } from '@tessera/core';
import { argon2idHasher } from '@tessera/core/argon2';
import { CliError } from './cli-error.js';
import type { CliSettings } from './read-settings.js';
import { parseEventConsumers, type EventConsumerSettings } from './parse-event-consumers.js';
import { exitCodes } from './exit-codes.js';
import type { CliDatabase } from './open-database.js';

/** What a command needs from its Tessera instance. */
export interface OpenTesseraOptions {
  /** The command may queue an event that carries a one-time link (verification, reset). */
  readonly queuesSecretMail: boolean;
  /** Wraps the database's store (a dry run's rolls back every transaction). */
  readonly wrapStore?: (store: TesseraStore) => TesseraStore;
  /** A hasher to use instead of argon2id (a dry run's, which hashes nothing). */
  readonly passwordHasher?: PasswordHasher;
}

/** Tessera for one command, and what the CLI knows of the app's event consumers. */
export interface CliTessera {
  readonly tessera: Tessera;
  readonly events: EventConsumerSettings;
}

/**
 * Creates Tessera as the app configures it, as far as the CLI's actions depend on it: the app's
 * secret (events carrying a one-time link are sealed with it, so the app can open them), its
 * consumer names (so the app delivers the events), its password policy and argon2 pepper. The
 * CLI signs no tokens: its signing key is ephemeral.
 *
 * @throws CliError `usage` when a secret-carrying event may be queued without the app's secret.
 * @throws TesseraConfigError naming a wrong option.
 */
export async function openTessera(database: CliDatabase, settings: CliSettings, options: OpenTesseraOptions): Promise<CliTessera> {
  const events = parseEventConsumers(settings.eventConsumers);
  const appSecret = settings.secret ?? (await developmentSecret(settings));
  if (appSecret === undefined && options.queuesSecretMail && events.consumers.length > 0) {
    throw new CliError(
      exitCodes.usage,
      "This command queues mail with a one-time link, which is sealed with the app's secret: set TESSERA_SECRET to the app's own secret.",
      'missing_secret',
    );
  }
  const tessera = createTessera({
    ...settings.library,
    store: options.wrapStore ? options.wrapStore(database.store) : database.store,
    passwordHasher: options.passwordHasher ?? argon2idHasher(settings.passwordPepper === undefined ? {} : { pepper: settings.passwordPepper }),
    // Without consumers nothing is sealed, so a throw-away secret serves.
    secret: appSecret ?? randomBytes(48).toString('base64url'),
    tokens: { keys: [await generateSigningKey('tessera-cli-ephemeral')] },
    events: { consumers: [...events.consumers] },
  });
  return { tessera, events };
}

/** The examples keep their development secrets next to the PGlite database. */
async function developmentSecret(settings: CliSettings): Promise<string | undefined> {
  if (settings.connection?.kind !== 'pglite') return undefined;
  try {
    const parsed = JSON.parse(await readFile(join(settings.connection.dataDir, 'dev-secrets.json'), 'utf8')) as { secret?: unknown };
    return typeof parsed.secret === 'string' ? parsed.secret : undefined;
  } catch {
    return undefined;
  }
}
