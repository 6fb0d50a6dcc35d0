/**
 * A Tessera store on PGlite: real Postgres compiled to WebAssembly, in-process, persisted to a
 * folder. The embedded default: nothing to install.
 *
 * @packageDocumentation
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { TesseraStore } from '@tessera/core';
import { Kysely, PGliteDialect } from 'kysely';
import type { TesseraDatabase } from './database.js';
import { createKyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrator.js';

/** Options of `openPgliteStore`. */
export interface PgliteStoreOptions {
  /**
   * Folder the database lives in (created if missing), or a PGlite URL such as `idb://app` or
   * `memory://`. Omit for an in-memory database.
   */
  readonly dataDir?: string;
  /** Run Tessera's migrations on open. @default true */
  readonly migrate?: boolean;
}

/** A store with the Kysely instance behind it. */
export interface PgliteStore {
  readonly store: TesseraStore;
  readonly db: Kysely<TesseraDatabase>;
  /** Closes the database (flushing it to the folder). */
  readonly close: () => Promise<void>;
}

/**
 * Opens (or creates) a PGlite database and a Tessera store on it.
 *
 * @example
 * ```ts
 * const { store, close } = await openPgliteStore({ dataDir: '.data/tessera' });
 * ```
 */
export async function openPgliteStore(options: PgliteStoreOptions = {}): Promise<PgliteStore> {
  const { dataDir } = options;
  if (dataDir !== undefined && !dataDir.includes('://')) {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dataDir, { recursive: true });
  }
  // pg_trgm backs the admin search index (migration 0002). A database migrated with it must
  // always be opened with it loaded: its index needs the extension's code on every write.
  const extensions = { pg_trgm };
  const pglite = dataDir === undefined ? new PGlite({ extensions }) : new PGlite(dataDir, { extensions });
  await pglite.waitReady;
  const db = new Kysely<TesseraDatabase>({ dialect: new PGliteDialect({ pglite }) });
  if (options.migrate ?? true) await migrateToLatest(db);
  return { store: createKyselyStore(db, { engine: 'pglite' }), db, close: () => db.destroy() };
}
