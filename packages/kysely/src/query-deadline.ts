import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/** The error of a query that got no answer before its deadline. */
export class QueryDeadlineError extends Error {
  override readonly name = 'QueryDeadlineError';
  /** A Node network code, so the store reports it like any other unreachable database. */
  readonly code = 'ETIMEDOUT';
}

/**
 * A pool for Kysely whose queries fail after `timeoutMillis` without an answer. The server's
 * `statement_timeout` cannot help when the answer never arrives (a network partition, a
 * stalled proxy, a failover that leaves the socket open): the query would wait until TCP
 * notices, which can take many minutes. Past the deadline the caller gets a
 * {@link QueryDeadlineError} (the store reports `store_unavailable`) and the connection is
 * destroyed instead of going back to the pool, since the late answer may still arrive on it.
 */
export function withQueryDeadline(pool: pg.Pool, timeoutMillis: number): PostgresPool {
  // One wrapper per pg client, so Kysely keeps recognising a connection it has seen before.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    options: pool.options,
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = deadlineClient(client, timeoutMillis);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

function deadlineClient(client: pg.PoolClient, timeoutMillis: number): PostgresPoolClient {
  let expired: QueryDeadlineError | undefined;
  const query = <R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> => {
    // An unanswered query still holds the connection: anything sent now would queue behind it.
    if (expired) return Promise.reject(expired);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        expired = new QueryDeadlineError(`The database did not answer within ${timeoutMillis} ms.`);
        reject(expired);
      }, timeoutMillis);
      client.query(sql, [...parameters]).then(
        (result) => {
          clearTimeout(timer);
          resolve(result as unknown as PostgresQueryResult<R>);
        },
        (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  };
  return {
    get processID() {
      return (client as { processID?: number }).processID;
    },
    query: query as PostgresPoolClient['query'],
    // `release(true)` ends the client, and pg destroys the socket of a client with a query in
    // flight: the answer that never came can hold nothing.
    release: (destroy?: boolean) => client.release(destroy === true || expired !== undefined),
  };
}
