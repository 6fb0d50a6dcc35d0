import type { PostgresStore } from '../../packages/kysely/src/postgres.js';

// The bench has no dependencies of its own: Kysely and pg types come through the store.
type Database = PostgresStore['db'];
type Pool = PostgresStore['pool'];

/** A statement exactly as Tessera sent it: SQL text and bound parameters. */
export interface CapturedQuery {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/**
 * The same Kysely instance with a plugin that records every statement it compiles, so a
 * store built on it runs Tessera's own repository code and the bench sees the very SQL.
 */
export function capturingKysely(db: Database, captured: CapturedQuery[]): Database {
  return db.withPlugin({
    transformQuery({ node, queryId }) {
      const compiled = db.getExecutor().compileQuery(node, queryId);
      captured.push({ sql: compiled.sql, parameters: compiled.parameters });
      return node;
    },
    transformResult: async ({ result }) => result,
  });
}

/**
 * `EXPLAIN (ANALYZE, BUFFERS)` of a captured statement with its own parameters: an unnamed
 * statement with bound values, planned the way the real call is.
 */
export async function explainAnalyze(pool: Pool, query: CapturedQuery): Promise<string> {
  const result = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${query.sql}`, [...query.parameters]);
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}
