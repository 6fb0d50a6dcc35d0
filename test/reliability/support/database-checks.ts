import pg from 'pg';

/** Run SQL on a test database on a connection of its own (not the app's pool). */
export async function withClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One SQL query's rows, on a connection of its own. */
export function query<Row extends pg.QueryResultRow>(connectionString: string, text: string, values: unknown[] = []): Promise<Row[]> {
  return withClient(connectionString, async (client) => (await client.query<Row>(text, values)).rows);
}

/** Broken invariants of a registration-only workload; every count must be 0. */
export interface IntegrityReport {
  /** Users without their `user.registered` outbox row (for each consumer). */
  readonly usersWithoutRegisteredEvent: number;
  /** Unverified users without a verification token. */
  readonly unverifiedUsersWithoutToken: number;
  /** `user.registered` rows about a user who does not exist. */
  readonly eventsWithoutUser: number;
  /** One-time or refresh tokens whose user does not exist. */
  readonly tokensWithoutUser: number;
  /** Users that share an email address. */
  readonly duplicateEmails: number;
  /** Users with more than one `user.registered` row for one consumer. */
  readonly duplicateEvents: number;
}

/**
 * Checks, straight in SQL, that nothing is half-written: every user has its event and its
 * token, every event and token has its user, nothing is there twice.
 */
export function checkIntegrity(connectionString: string, consumers: readonly string[]): Promise<IntegrityReport> {
  return withClient(connectionString, async (client) => {
    const count = async (text: string, values: unknown[] = []) => Number((await client.query<{ n: string }>(text, values)).rows[0]?.n ?? 0);
    return {
      usersWithoutRegisteredEvent: await count(
        `select count(*) as n from tessera_users u cross join unnest($1::text[]) as c(name)
          where not exists (select 1 from tessera_outbox o where o.event_type = 'user.registered' and o.consumer = c.name and o.payload->'user'->>'id' = u.id::text)`,
        [consumers],
      ),
      unverifiedUsersWithoutToken: await count(
        `select count(*) as n from tessera_users u where u.email_verified_at is null
          and not exists (select 1 from tessera_one_time_tokens t where t.user_id = u.id and t.purpose = 'verify_email')`,
      ),
      eventsWithoutUser: await count(
        `select count(*) as n from tessera_outbox o where o.event_type = 'user.registered'
          and not exists (select 1 from tessera_users u where u.id::text = o.payload->'user'->>'id')`,
      ),
      tokensWithoutUser: await count(
        `select (select count(*) from tessera_one_time_tokens t where not exists (select 1 from tessera_users u where u.id = t.user_id))
              + (select count(*) from tessera_refresh_tokens t where not exists (select 1 from tessera_users u where u.id = t.user_id)) as n`,
      ),
      duplicateEmails: await count(`select count(*) as n from (select email from tessera_users group by email having count(*) > 1) d`),
      duplicateEvents: await count(
        `select count(*) as n from (select consumer, payload->'user'->>'id' from tessera_outbox where event_type = 'user.registered' group by 1, 2 having count(*) > 1) d`,
      ),
    };
  });
}

/** The report of a database where nothing is broken. */
export const intact: IntegrityReport = {
  usersWithoutRegisteredEvent: 0,
  unverifiedUsersWithoutToken: 0,
  eventsWithoutUser: 0,
  tokensWithoutUser: 0,
  duplicateEmails: 0,
  duplicateEvents: 0,
};

/** Outbox rows by state, and how many are held under a claim right now. */
export async function outboxState(connectionString: string): Promise<{ pending: number; delivered: number; dead: number; claimed: number }> {
  const rows = await query<{ pending: string; delivered: string; dead: string; claimed: string }>(
    connectionString,
    `select count(*) filter (where state = 'pending') as pending, count(*) filter (where state = 'delivered') as delivered,
            count(*) filter (where state = 'dead') as dead, count(*) filter (where claim_token is not null) as claimed
       from tessera_outbox`,
  );
  const row = rows[0];
  return { pending: Number(row?.pending ?? 0), delivered: Number(row?.delivered ?? 0), dead: Number(row?.dead ?? 0), claimed: Number(row?.claimed ?? 0) };
}

/** The users' email addresses, lower-case. */
export async function userEmails(connectionString: string): Promise<string[]> {
  return (await query<{ email: string }>(connectionString, 'select email from tessera_users order by email')).map((row) => row.email);
}
