import { z } from 'zod';
import { userRoles } from '../auth/roles.js';
import type { UserId } from '../ids.js';
import type { UserFilter, UserListPosition, UserListQuery, UserRecord, UserSortField } from '../ports/store.js';
import { storableDateSchema } from '../schemas/common.js';
import { toAdminUserView, type AdminUserView, type CustomProfile } from '../schemas/user-view.js';
import { parseInput } from '../validation.js';
import { cursorInstant, decodeCursor, invalidCursor, readPage, type CursorDirection, type PageNavigation } from './keyset-page.js';
import { authorize, resolveActor, translateStoreErrors, type Caller, type ServiceDeps } from './service-deps.js';

// Search text goes to the database: PostgreSQL refuses NUL, and no name or address has a control character.
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f]/;

const sortFields = ['createdAt', 'lastLoginAt', 'email', 'username'] as const satisfies readonly UserSortField[];
/** A sort: a field, `-` in front for descending. */
export const userSortValues = sortFields.flatMap((field) => [field, `-${field}`] as const);

/** The filters of a user listing (shared by `listUsers` and `exportUsers`). */
export const userFilterFields = {
  /**
   * Case-insensitive part of the email, username, first or last name: at least 3 characters,
   * the shortest term a trigram index can serve (shorter ones would read every user).
   */
  search: z
    .string()
    .trim()
    .min(3)
    .max(100)
    .refine((text) => !controlCharacters.test(text), 'must not contain control characters')
    .optional(),
  role: z.array(z.enum(userRoles)).min(1).max(3).optional(),
  status: z.array(z.enum(['active', 'locked', 'suspended'])).min(1).max(3).optional(),
  proStatus: z.array(z.enum(['none', 'pending', 'approved', 'rejected', 'revoked'])).min(1).max(5).optional(),
  emailVerified: z.boolean().optional(),
  createdFrom: storableDateSchema.optional(),
  createdTo: storableDateSchema.optional(),
  lastLoginFrom: storableDateSchema.optional(),
  lastLoginTo: storableDateSchema.optional(),
};

/** `listUsers` input (service API). The HTTP query string maps onto it. */
export const listUsersInputSchema = z
  .strictObject({
    ...userFilterFields,
    /** @default '-lastLoginAt' with a last-login range (its index serves both), else '-createdAt' (newest first) */
    sort: z.enum(userSortValues).optional(),
    /** @default 20 */
    limit: z.number().int().min(1).max(100).default(20),
    /** An opaque cursor from a previous page (`nextCursor` or `prevCursor`). */
    cursor: z.string().min(1).max(1024).optional(),
    /** A page number (1-based), for small result sets; not with `cursor`. */
    page: z.number().int().min(1).max(10_000).optional(),
    /** Also count all matching users (costs a second query). @default false */
    includeTotal: z.boolean().default(false),
  })
  .refine((input) => !(input.cursor && input.page), { message: 'use either cursor or page, not both', path: ['page'] })
  .transform((input) => ({ ...input, sort: input.sort ?? defaultSort(input) }));

/**
 * Newest first, or, with a last-login range, the latest logins first: then the range and the
 * order are one index range on the last-login key, where ordering by creation would have to
 * read every user in the range before the first page.
 */
function defaultSort(input: { lastLoginFrom?: Date | undefined; lastLoginTo?: Date | undefined }): (typeof userSortValues)[number] {
  return input.lastLoginFrom || input.lastLoginTo ? '-lastLoginAt' : '-createdAt';
}
export type ListUsersInput = z.input<typeof listUsersInputSchema>;

/** One page of users. */
export interface UserPage<Custom extends CustomProfile = CustomProfile> extends PageNavigation {
  readonly items: Array<AdminUserView<Custom>>;
  /** The sort in force, e.g. `-createdAt`. */
  readonly sort: (typeof userSortValues)[number];
}

/**
 * Lists users for managers and admins: filters, a stable sort, keyset (cursor) pagination in
 * both directions, or page numbers for small result sets, and an optional total.
 *
 * @throws TesseraError `forbidden`, `validation_failed` (including a cursor from another sort or a tampered one).
 */
export async function listUsers(deps: ServiceDeps, caller: Caller, input: ListUsersInput): Promise<UserPage> {
  const parsed = parseInput(listUsersInputSchema, input);
  const acting = await resolveActor(deps, caller);
  authorize(deps, acting.actor, 'users:list');

  const direction = parsed.sort.startsWith('-') ? 'desc' : 'asc';
  const field = parsed.sort.replace(/^-/, '') as UserSortField;
  const cursor = parsed.cursor === undefined ? undefined : userCursor(parsed.cursor, parsed.sort, field);
  const filter = toUserFilter(parsed);
  const query: UserListQuery = {
    filter,
    sort: { field, direction },
    // One row more than asked tells whether there is a further page.
    limit: parsed.limit + 1,
    ...(cursor?.direction === 'after' && { after: cursor.position }),
    ...(cursor?.direction === 'before' && { before: cursor.position }),
    ...(parsed.page !== undefined && { offset: (parsed.page - 1) * parsed.limit }),
  };
  const { rows, ...navigation } = await readPage(deps, {
    listing: parsed.sort,
    limit: parsed.limit,
    page: parsed.page,
    direction: cursor?.direction,
    includeTotal: parsed.includeTotal,
    list: () => deps.store.users.list(query),
    count: (upTo) => deps.store.users.count(filter, { upTo }),
    positionOf: (user) => positionOf(user, field),
  });
  return { items: rows.map(toAdminUserView), ...navigation, sort: parsed.sort };
}

/** `countUsers` input: the filters of `listUsers`. */
export const countUsersInputSchema = z.strictObject(userFilterFields);
export type CountUsersInput = z.input<typeof countUsersInputSchema>;

/**
 * Counts the users matching the filters of `listUsers`, exactly (a full count: over millions
 * of rows it costs a scan, so it is meant for reports and dashboards, not every page).
 *
 * @throws TesseraError `forbidden`, `validation_failed`.
 */
export async function countUsers(deps: ServiceDeps, caller: Caller, input: CountUsersInput = {}): Promise<number> {
  const parsed = parseInput(countUsersInputSchema, input);
  const acting = await resolveActor(deps, caller);
  authorize(deps, acting.actor, 'users:list');
  return translateStoreErrors(() => deps.store.users.count(toUserFilter(parsed)));
}

/** The store's filter from validated listing input. */
export function toUserFilter(input: z.output<z.ZodObject<typeof userFilterFields>>): UserFilter {
  return {
    ...(input.search !== undefined && { search: input.search }),
    ...(input.role && { roles: input.role }),
    ...(input.status && { statuses: input.status }),
    ...(input.proStatus && { proStatuses: input.proStatus }),
    ...(input.emailVerified !== undefined && { emailVerified: input.emailVerified }),
    ...(input.createdFrom && { createdFrom: input.createdFrom }),
    ...(input.createdTo && { createdTo: input.createdTo }),
    ...(input.lastLoginFrom && { lastLoginFrom: input.lastLoginFrom }),
    ...(input.lastLoginTo && { lastLoginTo: input.lastLoginTo }),
  };
}

/** Where a user stands in a listing sorted by `field`. */
export function positionOf(user: UserRecord, field: UserSortField): UserListPosition {
  const value = field === 'createdAt' ? user.createdAt : field === 'lastLoginAt' ? user.lastLoginAt : user[field];
  return { value, id: user.id };
}

/** A cursor of this sort, with its value read back as a date where the field is one. */
function userCursor(cursor: string, sort: string, field: UserSortField): { direction: CursorDirection; position: UserListPosition } {
  const { direction, position } = decodeCursor(cursor, sort);
  const isDate = field === 'createdAt' || field === 'lastLoginAt';
  const instant = isDate ? cursorInstant(position.value) : null;
  if ((position.value === null && field !== 'lastLoginAt') || (isDate && position.value !== null && !instant)) throw invalidCursor();
  return { direction, position: { value: isDate ? instant : position.value, id: position.id as UserId } };
}
