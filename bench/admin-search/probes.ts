import type { PostgresStore } from '../../packages/kysely/src/postgres.js';

/**
 * Raw SQL that is not Tessera's code path today: the shapes the performance doc proposes (capped
 * totals, a row-value keyset) and the write a login makes, timed the same way as the scenarios
 * so the proposals rest on measured figures.
 */
export interface Probe {
  readonly name: string;
  /** Prepares the parameters once (e.g. finds a position deep in a listing). */
  readonly prepare?: (pool: PostgresStore['pool']) => Promise<unknown[]>;
  /** Runs one statement (or one transaction) with the prepared parameters. */
  readonly run: (pool: PostgresStore['pool'], parameters: unknown[]) => Promise<unknown>;
}

const lastLoginKey = `coalesce(last_login_at, '1970-01-01 00:00:00+00'::timestamptz)`;
const searchDocument = `lower(email || E'\\x1f' || username || E'\\x1f' || coalesce(first_name, '') || E'\\x1f' || coalesce(last_name, ''))`;

/**
 * The position of row 100,000 (a tenth in, on a smaller seed) of the listing by last login,
 * ascending: deep among the never-logged-in users, who all tie.
 */
async function tiedPosition(pool: PostgresStore['pool']): Promise<unknown[]> {
  const { rows } = await pool.query<{ key: Date; id: string }>(
    `select ${lastLoginKey} as key, id from tessera_users order by ${lastLoginKey}, id offset least(99999, (select count(*) / 10 from tessera_users)) limit 1`,
  );
  const [row] = rows;
  if (!row) throw new Error('no users to probe');
  return [row.key, row.id];
}

export const probes: readonly Probe[] = [
  {
    name: 'capped total (10,001): emailVerified = false',
    run: (pool) => pool.query('select count(*) from (select 1 from tessera_users where email_verified_at is null limit 10001) as capped'),
  },
  {
    name: 'capped total (10,001): everyone',
    run: (pool) => pool.query('select count(*) from (select 1 from tessera_users limit 10001) as capped'),
  },
  {
    name: 'capped total (1,001): search "okafor"',
    run: (pool) => pool.query(`select count(*) from (select 1 from tessera_users where ${searchDocument} like '%okafor%' limit 1001) as capped`),
  },
  {
    name: 'planner estimate as total: emailVerified = false',
    run: (pool) => pool.query('explain (format json) select 1 from tessera_users where email_verified_at is null'),
  },
  {
    name: 'keyset at row 100,000 by lastLoginAt, today: key >= v and (key > v or id > i)',
    prepare: tiedPosition,
    run: (pool, [key, id]) =>
      pool.query(`select * from tessera_users where ${lastLoginKey} >= $1 and (${lastLoginKey} > $1 or id > $2) order by ${lastLoginKey}, id limit 21`, [key, id]),
  },
  {
    name: 'keyset at row 100,000 by lastLoginAt, row value: (key, id) > (v, i)',
    prepare: tiedPosition,
    run: (pool, [key, id]) => pool.query(`select * from tessera_users where (${lastLoginKey}, id) > ($1, $2) order by ${lastLoginKey}, id limit 21`, [key, id]),
  },
  {
    // begin, update, rollback: three round trips, of which the update is the work.
    name: 'write: record a login (update last_login_at, rolled back)',
    prepare: async (pool) => [(await pool.query<{ ids: string[] }>('select array_agg(id) as ids from (select id from tessera_users tablesample system (1) limit 2000) as sample')).rows[0]!.ids],
    run: async (pool, [ids]) => {
      const sample = ids as string[];
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('update tessera_users set last_login_at = now() where id = $1', [sample[Math.floor(Math.random() * sample.length)]]);
        await client.query('rollback');
      } finally {
        client.release();
      }
    },
  },
];
