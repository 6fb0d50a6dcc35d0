import { join } from 'node:path';
import { createTessera, generateSigningKey } from '@tessera/core';
import { argon2idHasher } from '@tessera/core/argon2';
import { openPgliteStore } from '@tessera/kysely/pglite';
import { createPostgresStore } from '@tessera/kysely/postgres';

/** Where an example keeps its data: its PGlite folder, or a PostgreSQL URL. */
export type ExampleDatabase = { readonly dataDir: string } | { readonly url: string };

/**
 * Makes a user MANAGER the way an operator script would: through Tessera's service API as an
 * operator (audited as such), on the example's own database. The embedded PGlite database
 * serves one process at a time, so the example must be stopped first.
 */
export async function promoteToManager(database: ExampleDatabase, userId: string): Promise<void> {
  const opened =
    'url' in database ? createPostgresStore({ connectionString: database.url }) : await openPgliteStore({ dataDir: join(database.dataDir, 'db') });
  try {
    const operator = createTessera({
      store: opened.store,
      passwordHasher: argon2idHasher(),
      secret: 'an operator script queues no secrets, this is unused',
      tokens: { keys: [await generateSigningKey()] },
    });
    await operator.api.setUserRole({ operator: 'smoke-test' }, userId, { role: 'MANAGER' });
  } finally {
    await opened.close();
  }
}
