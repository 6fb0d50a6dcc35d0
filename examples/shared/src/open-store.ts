import { join } from 'node:path';
import type { Logger, RateLimitStore, TesseraStore } from '@tessera/core';
import { createKyselyRateLimitStore, migrateToLatest } from '@tessera/kysely';
import { openPgliteStore } from '@tessera/kysely/pglite';
import { createPostgresStore } from '@tessera/kysely/postgres';
import type { ExampleConfig } from './example-config.js';

/** An open database with Tessera's tables migrated. */
export interface OpenedStore {
  readonly store: TesseraStore;
  /**
   * Where rate-limit counters live: on PostgreSQL in the database, shared by every instance;
   * on PGlite (one process) `undefined`, Tessera's in-memory default.
   */
  readonly rateLimitStore: RateLimitStore | undefined;
  /** For the start-up banner; never contains a password. */
  readonly description: string;
  close(): Promise<void>;
}

/**
 * Opens PostgreSQL when `DATABASE_URL` is set (and migrates it: safe with several instances
 * starting at once, Kysely takes an advisory lock), with rate-limit counters in the database so
 * that several instances share them; otherwise the embedded PGlite database in
 * `<dataDir>/db`, which survives restarts. PGlite serves one process at a time: stop the app
 * before pointing the `tessera` CLI at the same folder.
 */
export async function openStore(config: Pick<ExampleConfig, 'databaseUrl' | 'dataDir'>, logger: Logger): Promise<OpenedStore> {
  if (config.databaseUrl !== null) {
    const postgres = createPostgresStore({ connectionString: config.databaseUrl, logger });
    try {
      await migrateToLatest(postgres.db);
    } catch (error) {
      await postgres.close();
      throw error;
    }
    return {
      store: postgres.store,
      rateLimitStore: createKyselyRateLimitStore(postgres.db, { logger }),
      description: `PostgreSQL at ${withoutPassword(config.databaseUrl)}`,
      close: postgres.close,
    };
  }
  const folder = join(config.dataDir, 'db');
  const pglite = await openPgliteStore({ dataDir: folder });
  return { store: pglite.store, rateLimitStore: undefined, description: `PGlite (embedded) in ${folder}`, close: pglite.close };
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}
