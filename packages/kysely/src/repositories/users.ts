import type { CountOptions, FailedLoginOutcome, FailedLoginPolicy, NewRefreshToken, NewUserRecord, UserFilter, UserId, UserListQuery, UserPatch, UserProfile, UserRecord, UserRepository, UserSortField } from '@tessera/core';
import { sql, type ExpressionBuilder, type QueryCreator, type RawBuilder, type Selectable, type SelectQueryBuilder, type Updateable } from 'kysely';
import type { TesseraDatabase } from '../database.js';
import type { TesseraUsersTable } from '../database.js';
import type { Session } from '../executor.js';
import { beyondPosition, countRows } from './listing.js';
import { liveFamiliesBeyond, refreshTokensRepository } from './refresh-tokens.js';

type UserRow = Selectable<TesseraUsersTable>;

/**
 * A login as one statement: the user's row changes, the new session's token goes in and the
 * sessions beyond the cap are revoked together, or not at all (no user: nothing). Every part
 * reads the snapshot from before the statement, so the families counted for the cap are the
 * ones that existed: keep `keepSessions - 1` of them besides the new one.
 */
async function recordLoginInOneStatement(db: QueryCreator<TesseraDatabase>, id: UserId, patch: UserPatch, token: NewRefreshToken, keepSessions: number): Promise<UserRecord | null> {
  return mapOrNull(await recordLoginStatement(db, id, patch, token, keepSessions).executeTakeFirst());
}

/**
 * The statement of {@link recordLoginInOneStatement}, unexecuted (its plan is tested). The
 * sessions beyond the cap are matched with `= any(array(…))`: the planner then looks their
 * tokens up by family, where `in (…)` let it estimate hundreds of families and read every token
 * of the table instead.
 */
export function recordLoginStatement(db: QueryCreator<TesseraDatabase>, id: UserId, patch: UserPatch, token: NewRefreshToken, keepSessions: number) {
  const surplusFamilies = liveFamiliesBeyond(db, id, keepSessions - 1, token.createdAt);
  return db
    .with('changed', (query) => query.updateTable('tessera_users').set(toUpdateRow(patch)).where('id', '=', id).returningAll())
    .with('capped', (query) =>
      query
        .updateTable('tessera_refresh_tokens')
        .set({ revoked_at: token.createdAt })
        .where(sql<boolean>`family_id = any(array(${surplusFamilies}))`)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.exists(eb.selectFrom('changed').select('changed.id'))),
    )
    .with('started', (query) =>
      query
        .insertInto('tessera_refresh_tokens')
        .columns(['token_hash', 'user_id', 'family_id', 'family_expires_at', 'expires_at', 'created_at', 'user_agent', 'ip_address'])
        .expression((eb) =>
          eb
            .selectFrom('changed')
            .select([
              sql<string>`${token.tokenHash}::text`.as('token_hash'),
              'changed.id as user_id',
              sql<string>`${token.familyId}::uuid`.as('family_id'),
              sql<Date>`${token.familyExpiresAt}::timestamptz`.as('family_expires_at'),
              sql<Date>`${token.expiresAt}::timestamptz`.as('expires_at'),
              sql<Date>`${token.createdAt}::timestamptz`.as('created_at'),
              sql<string | null>`${token.userAgent}::text`.as('user_agent'),
              sql<string | null>`${token.ipAddress}::text`.as('ip_address'),
            ]),
        ),
    )
    .selectFrom('changed')
    .selectAll();
}

/** The same, statement by statement in one transaction, where writable CTEs are missing (pg-mem). */
function recordLoginStepByStep(session: Session, id: UserId, patch: UserPatch, token: NewRefreshToken, keepSessions: number): Promise<UserRecord | null> {
  return session.atomically(async (inner) => {
    const changed = await usersRepository(inner).update(id, patch);
    if (!changed) return null;
    const refreshTokens = refreshTokensRepository(inner);
    await refreshTokens.insert(token);
    await refreshTokens.revokeOldestFamilies(id, keepSessions, token.createdAt);
    return changed;
  });
}

/** Arbitrary but fixed key of the advisory lock that serialises last-admin checks. */
const adminChangesLockKey = 0x7e55e7a1;

/** The users repository over one session. */
export function usersRepository(session: Session): UserRepository {
  const { db } = session;
  const selectUsers = () => db.selectFrom('tessera_users').selectAll();

  return {
    async insert(user: NewUserRecord) {
      const row = await db
        .insertInto('tessera_users')
        .values({
          id: user.id,
          email: user.email,
          email_verified_at: user.emailVerifiedAt,
          username: user.username,
          password_hash: user.passwordHash,
          role: user.role,
          ...profileColumns(user.profile ?? {}),
          profile_custom: JSON.stringify(user.profile?.custom ?? {}),
          created_at: user.createdAt,
          updated_at: user.createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUserRecord(row);
    },

    findById: async (id) => mapOrNull(await selectUsers().where('id', '=', id).executeTakeFirst()),
    findByEmail: async (email) => mapOrNull(await selectUsers().where('email', '=', email).executeTakeFirst()),
    findByUsername: async (username) => mapOrNull(await selectUsers().where('username', '=', username).executeTakeFirst()),

    async update(id: UserId, patch: UserPatch) {
      const row = await db.updateTable('tessera_users').set(toUpdateRow(patch)).where('id', '=', id).returningAll().executeTakeFirst();
      return mapOrNull(row);
    },

    recordLogin: (id, patch, token, keepSessions) =>
      session.capabilities.writableCtes ? recordLoginInOneStatement(db, id, patch, token, keepSessions) : recordLoginStepByStep(session, id, patch, token, keepSessions),

    async delete(id) {
      const result = await db.deleteFrom('tessera_users').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async recordFailedLogin(id: UserId, policy: FailedLoginPolicy): Promise<FailedLoginOutcome | null> {
      // One statement: Postgres serialises concurrent updates of the row, so every failure is
      // counted and exactly one of them crosses the threshold. In SET, every expression sees
      // the row as it was before this statement.
      const counted = sql<number>`case when last_failed_login_at >= ${policy.windowStart} then failed_login_count + 1 else 1 end`;
      const reachesThreshold = sql<boolean>`(${counted}) >= ${policy.threshold}`;
      const lockUntil = lockUntilByPriorLocks(policy.lockUntilByPriorLocks);
      const row = await db
        .updateTable('tessera_users')
        .set({
          failed_login_count: sql`case when ${reachesThreshold} then 0 else ${counted} end`,
          last_failed_login_at: policy.now,
          locked_until: sql`case when ${reachesThreshold} then ${lockUntil} else locked_until end`,
          lockout_count: sql`case when ${reachesThreshold} then lockout_count + 1 else lockout_count end`,
        })
        .where('id', '=', id)
        .returning(['failed_login_count', 'locked_until', 'last_failed_login_at'])
        .executeTakeFirst();
      if (!row) return null;
      const lockedUntil = row.locked_until && row.locked_until > policy.now ? row.locked_until : null;
      const lockedNow = lockedUntil !== null && row.failed_login_count === 0;
      return { failedLoginCount: row.failed_login_count, lockedUntil, lockedNow };
    },

    async countOtherActiveAdmins(excludingId) {
      if (session.inTransaction && session.capabilities.advisoryLocks) {
        await sql`select pg_advisory_xact_lock(${sql.lit(adminChangesLockKey)})`.execute(db);
      }
      const row = await db
        .selectFrom('tessera_users')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('role', '=', 'ADMIN')
        .where('status', '=', 'active')
        .where('id', '<>', excludingId)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async list(query: UserListQuery) {
      const sortKey = sortKeys[query.sort.field];
      const isBackwards = query.before !== undefined;
      // Walking backwards reads the reverse order, then turns the page around.
      const direction = (query.sort.direction === 'asc') !== isBackwards ? 'asc' : 'desc';
      let select = applyFilter(selectUsers(), query.filter);
      const position = query.after ?? query.before;
      if (position) select = select.where(beyondPosition(session.capabilities, sortKey, direction, sortValue(query.sort.field, position.value), position.id));
      select = select.orderBy(sortKey, direction).orderBy('id', direction).limit(query.limit);
      if (query.offset !== undefined) select = select.offset(query.offset);
      const rows = (await select.execute()).map(toUserRecord);
      return isBackwards ? rows.reverse() : rows;
    },

    async count(filter: UserFilter, options: CountOptions = {}) {
      return countRows(db, applyFilter(db.selectFrom('tessera_users').select(sql.lit(1).as('one')), filter), options);
    },
  };
}

/**
 * The sort key of each sort field: a fixed allowlist, never a name from input. Each one is
 * the leading expression of an index (migration 0002), written exactly as the index is.
 */
const sortKeys = {
  createdAt: sql<Date>`created_at`,
  // Never-logged-in users sort as the epoch, so the order (and keyset comparisons) stay total.
  lastLoginAt: sql<Date>`coalesce(last_login_at, '1970-01-01 00:00:00+00'::timestamptz)`,
  email: sql<string>`email`,
  username: sql<string>`username`,
} as const satisfies Record<UserSortField, RawBuilder<unknown>>;

const neverLoggedIn = new Date(0);

function sortValue(field: UserSortField, value: string | Date | null): string | Date {
  if (field === 'lastLoginAt') return value ?? neverLoggedIn;
  return value ?? '';
}

/**
 * Everything a user is searched by, lower-cased, fields apart by the unit separator (U+001F):
 * the expression of the trigram index `tessera_users_search_idx`, character for character.
 */
const searchDocument = sql<string>`lower(email || '\u001f' || username || '\u001f' || coalesce(first_name, '') || '\u001f' || coalesce(last_name, ''))`;
const fieldSeparator = '\u001f';

function applyFilter<Output>(select: SelectQueryBuilder<TesseraDatabase, 'tessera_users', Output>, filter: UserFilter) {
  return select.where((eb: ExpressionBuilder<TesseraDatabase, 'tessera_users'>) => {
    const conditions = [];
    if (filter.search !== undefined) conditions.push(searchCondition(eb, filter.search));
    if (filter.roles) conditions.push(eb('role', 'in', [...filter.roles]));
    if (filter.statuses) conditions.push(eb('status', 'in', [...filter.statuses]));
    if (filter.proStatuses) conditions.push(eb('pro_status', 'in', [...filter.proStatuses]));
    if (filter.emailVerified !== undefined) conditions.push(eb('email_verified_at', filter.emailVerified ? 'is not' : 'is', null));
    if (filter.createdFrom) conditions.push(eb('created_at', '>=', filter.createdFrom));
    if (filter.createdTo) conditions.push(eb('created_at', '<=', filter.createdTo));
    conditions.push(...lastLoginConditions(eb, filter));
    return eb.and(conditions);
  });
}

/**
 * A case-insensitive substring of the email, username, first or last name. Matched on the
 * search document, so one trigram index serves it; a term containing the separator could
 * match across two fields there, so it (never typed by anyone, but possible) is matched field
 * by field instead.
 */
function searchCondition(eb: ExpressionBuilder<TesseraDatabase, 'tessera_users'>, search: string) {
  const pattern = `%${search.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  if (!search.includes(fieldSeparator)) return eb(searchDocument, 'like', pattern);
  return eb.or([
    eb('email', 'like', pattern),
    eb('username', 'like', pattern),
    eb(eb.fn('lower', ['first_name']), 'like', pattern),
    eb(eb.fn('lower', ['last_name']), 'like', pattern),
  ]);
}

/**
 * The last-login range on the sort key (`coalesce(last_login_at, epoch)`), so its index serves
 * the filter, and as a range of one expression, so the planner estimates it from that index's
 * statistics. "Has logged in" is `key > epoch`: a login at or before 1970 (which Tessera never
 * records; a login stores the current time) counts as none, as it already does in the sort.
 */
function lastLoginConditions(eb: ExpressionBuilder<TesseraDatabase, 'tessera_users'>, filter: UserFilter) {
  const { lastLoginFrom: from, lastLoginTo: to } = filter;
  if (!from && !to) return [];
  const conditions = [from && from > neverLoggedIn ? eb(sortKeys.lastLoginAt, '>=', from) : eb(sortKeys.lastLoginAt, '>', neverLoggedIn)];
  if (to) conditions.push(eb(sortKeys.lastLoginAt, '<=', to));
  return conditions;
}

/** `case lockout_count when 0 then $1 when 1 then $2 ... else $last end`, as timestamps. */
function lockUntilByPriorLocks(untils: readonly Date[]) {
  const last = untils[untils.length - 1]!;
  if (untils.length === 1) return sql`${last}::timestamptz`;
  const branches = untils.slice(0, -1).map((until, priorLocks) => sql`when lockout_count = ${sql.lit(priorLocks)} then ${until}::timestamptz`);
  return sql`case ${sql.join(branches, sql` `)} else ${last}::timestamptz end`;
}

function profileColumns(profile: Partial<UserProfile>): Partial<Pick<UserRow, 'first_name' | 'last_name' | 'bio' | 'location' | 'picture_url' | 'linkedin_url' | 'github_url'>> {
  const columns: Record<string, string | null> = {};
  const mapping = {
    firstName: 'first_name',
    lastName: 'last_name',
    bio: 'bio',
    location: 'location',
    pictureUrl: 'picture_url',
    linkedinUrl: 'linkedin_url',
    githubUrl: 'github_url',
  } as const;
  for (const [field, column] of Object.entries(mapping) as Array<[keyof typeof mapping, (typeof mapping)[keyof typeof mapping]]>) {
    const value = profile[field];
    if (value !== undefined) columns[column] = value;
  }
  return columns;
}

function toUpdateRow(patch: UserPatch): Updateable<TesseraUsersTable> {
  const row: Updateable<TesseraUsersTable> = {
    ...(patch.email !== undefined && { email: patch.email }),
    ...(patch.emailVerifiedAt !== undefined && { email_verified_at: patch.emailVerifiedAt }),
    ...(patch.username !== undefined && { username: patch.username }),
    ...(patch.passwordHash !== undefined && { password_hash: patch.passwordHash }),
    ...(patch.role !== undefined && { role: patch.role }),
    ...(patch.status !== undefined && { status: patch.status }),
    ...(patch.proStatus !== undefined && { pro_status: patch.proStatus }),
    ...(patch.proStatusChangedAt !== undefined && { pro_status_changed_at: patch.proStatusChangedAt }),
    ...(patch.proStatusReason !== undefined && { pro_status_reason: patch.proStatusReason }),
    ...(patch.failedLoginCount !== undefined && { failed_login_count: patch.failedLoginCount }),
    ...(patch.lockedUntil !== undefined && { locked_until: patch.lockedUntil }),
    ...(patch.lockoutCount !== undefined && { lockout_count: patch.lockoutCount }),
    ...(patch.lastLoginAt !== undefined && { last_login_at: patch.lastLoginAt }),
    ...(patch.sessionsValidAfter !== undefined && { sessions_valid_after: patch.sessionsValidAfter }),
    ...profileColumns(patch.profile ?? {}),
    ...(patch.profile?.custom !== undefined && { profile_custom: JSON.stringify(patch.profile.custom) }),
    updated_at: patch.updatedAt,
  };
  return row;
}

function mapOrNull(row: UserRow | undefined): UserRecord | null {
  return row ? toUserRecord(row) : null;
}

/** Maps a `tessera_users` row to the port's record. */
export function toUserRecord(row: UserRow): UserRecord {
  return {
    id: row.id as UserId,
    email: row.email,
    emailVerifiedAt: row.email_verified_at,
    username: row.username,
    passwordHash: row.password_hash as UserRecord['passwordHash'],
    role: row.role,
    status: row.status,
    proStatus: row.pro_status,
    proStatusChangedAt: row.pro_status_changed_at,
    proStatusReason: row.pro_status_reason,
    profile: {
      firstName: row.first_name,
      lastName: row.last_name,
      bio: row.bio,
      location: row.location,
      pictureUrl: row.picture_url,
      linkedinUrl: row.linkedin_url,
      githubUrl: row.github_url,
      custom: parseJson(row.profile_custom),
    },
    failedLoginCount: row.failed_login_count,
    lastFailedLoginAt: row.last_failed_login_at,
    lockedUntil: row.locked_until,
    lockoutCount: row.lockout_count,
    lastLoginAt: row.last_login_at,
    sessionsValidAfter: row.sessions_valid_after,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** jsonb arrives parsed from node-postgres and pg-mem, but as text from some drivers. */
export function parseJson(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return JSON.parse(value) as Record<string, unknown>;
  return (value ?? {}) as Record<string, unknown>;
}
