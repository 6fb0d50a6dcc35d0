import { sql, type Expression, type QueryExecutorProvider, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { CountOptions } from '@tessera/core';
import type { EngineCapabilities } from '../executor.js';

/**
 * Rows strictly beyond a keyset position `(value, id)` in the read order, where `key` is the
 * leading expression of an index on `(key, id)`.
 *
 * Where the engine has row values this is `(key, id) > (value, id)` (mirrored descending): one
 * index range, so a page deep inside a run of equal keys costs what the first page costs.
 * pg-mem has none, so there it is `key >= value and (key > value or id > id)`: the first half
 * still bounds the index scan; the second skips the rows up to the position among equal keys.
 */
export function beyondPosition(
  capabilities: EngineCapabilities,
  key: Expression<unknown>,
  direction: 'asc' | 'desc',
  value: unknown,
  id: string,
): Expression<SqlBool> {
  const [orEqual, strictly] = direction === 'asc' ? (['>=', '>'] as const) : (['<=', '<'] as const);
  if (capabilities.rowValueComparisons) return sql<SqlBool>`(${key}, id) ${sql.raw(strictly)} (${value}, ${id})`;
  return sql<SqlBool>`${key} ${sql.raw(orEqual)} ${value} and (${key} ${sql.raw(strictly)} ${value} or id ${sql.raw(strictly)} ${id})`;
}

/**
 * Counts the rows a query selects. With `upTo`, the count runs over `select … limit upTo`, so
 * the engine stops reading there: a capped count of a million matching rows reads `upTo`.
 */
export async function countRows<DB, TB extends keyof DB, Output>(
  db: QueryExecutorProvider,
  rows: SelectQueryBuilder<DB, TB, Output>,
  options: CountOptions,
): Promise<number> {
  const bounded = options.upTo === undefined ? rows : rows.limit(options.upTo);
  const { rows: counted } = await sql<{ count: string | number }>`select count(*) as count from ${bounded.as('matching')}`.execute(db);
  return Number(counted[0]?.count ?? 0);
}
