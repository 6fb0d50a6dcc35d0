import { createTessera, type BuiltInAction, type Logger, type Tessera } from '@tessera/core';
import { argon2idHasher } from '@tessera/core/argon2';
import type { CapturedMail } from '@tessera/mailer';
import { loadSecrets } from './dev-secrets.js';
import type { ExampleConfig } from './example-config.js';
import { createExampleMail } from './example-mail.js';
import { openStore } from './open-store.js';

/**
 * The app's own additions to Tessera's permission table: one table decides both who may call
 * Tessera's operations and who may see the app's report.
 */
export const appPermissions = {
  'reports:view': { MANAGER: 'any', ADMIN: 'any' },
} as const;

/** The Tessera instance of the examples (built-in actions plus {@link appPermissions}). */
export type ExampleTessera = Tessera<BuiltInAction | keyof typeof appPermissions>;

/** A running Tessera: the instance, how mail goes out, and how to stop it all. */
export interface TesseraRuntime {
  readonly tessera: ExampleTessera;
  /** The dev mailbox's mails, newest first; `null` when mail goes to `SMTP_URL`. */
  readonly devMails: readonly CapturedMail[] | null;
  /** What the banner shows: where data and mail go. */
  readonly description: { readonly database: string; readonly mail: string; readonly secrets: string };
  /**
   * Stops the outbox dispatcher (waiting for the deliveries in flight), then the mailer, then
   * the database. Call it after the HTTP server stopped taking requests.
   */
  close(): Promise<void>;
}

/**
 * Opens the database, loads the secrets, chooses the mail and creates Tessera, then starts the
 * outbox dispatcher that delivers its events (the verification mail, …) with retries.
 *
 * @param logger - the app's logger: Tessera logs through it (it never logs a secret).
 */
export async function startTessera(config: ExampleConfig, logger: Logger, options: { appName: string }): Promise<TesseraRuntime> {
  const database = await openStore(config, logger);
  try {
    const secrets = await loadSecrets(config.dataDir, config);
    const mail = createExampleMail(config, options.appName);
    const tessera = buildTessera(config, logger, { ...options, database, secrets, mail });
    tessera.outbox.start();
    return {
      tessera,
      devMails: mail.devMails,
      description: { database: database.description, mail: mail.description, secrets: secrets.source },
      async close() {
        await tessera.close();
        await mail.mailer.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

interface Parts {
  readonly appName: string;
  readonly database: Awaited<ReturnType<typeof openStore>>;
  readonly secrets: Awaited<ReturnType<typeof loadSecrets>>;
  readonly mail: ReturnType<typeof createExampleMail>;
}

function buildTessera(config: ExampleConfig, logger: Logger, { appName, database, secrets, mail }: Parts): ExampleTessera {
  return createTessera({
    store: database.store,
    passwordHasher: argon2idHasher(),
    secret: secrets.secret,
    appName,
    tokens: { keys: [...secrets.signingKeys] },
    permissions: appPermissions,
    events: { consumers: [mail.mailer] },
    rateLimits: { enabled: config.rateLimitsEnabled, store: database.rateLimitStore },
    http: {
      // Where the mailed links land after Tessera handled them: the app's own page.
      verifyEmailRedirectUrl: `${config.appUrl}/account/email`,
      confirmEmailChangeRedirectUrl: `${config.appUrl}/account/email`,
      trustedProxies: typeof config.trustedProxies === 'number' ? config.trustedProxies : [...config.trustedProxies],
    },
    logger,
  });
}
