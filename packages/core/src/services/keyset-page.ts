import { base64url } from 'jose';
import { z } from 'zod';
import { TesseraError } from '../errors.js';
import { translateStoreErrors, type ServiceDeps } from './service-deps.js';

/** Which way a cursor walks: the rows after its position, or before it. */
export type CursorDirection = 'after' | 'before';

/** A position in a sorted listing: the row's sort value (as text, or null) and its id. */
export interface CursorPosition {
  readonly value: string | null;
  readonly id: string;
}

// A value the store compares as text: never a control character (PostgreSQL refuses NUL outright).
// eslint-disable-next-line no-control-regex
const cursorValueSchema = z.string().max(512).regex(/^[^\u0000-\u001f\u007f]*$/);

const cursorSchema = z.strictObject({
  s: z.string().max(64),
  d: z.enum(['after', 'before']),
  v: cursorValueSchema.nullable(),
  i: z.uuid(),
});

/** The instants `encodeCursor` writes: ISO 8601 in UTC with a 4-digit year (what a database stores). */
const cursorInstantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * An opaque cursor: base64url JSON naming the listing (and its sort), the direction and the
 * position. Not signed: a forged cursor only moves the caller elsewhere in a listing they may
 * read anyway, and every part is validated before use.
 */
export function encodeCursor(listing: string, direction: CursorDirection, position: { value: string | Date | null; id: string }): string {
  const value = position.value instanceof Date ? position.value.toISOString() : position.value;
  return base64url.encode(JSON.stringify({ s: listing, d: direction, v: value, i: position.id }));
}

/**
 * Reads a cursor of `listing`.
 * @throws TesseraError `validation_failed` (`invalid_cursor`) for anything else.
 */
export function decodeCursor(cursor: string, listing: string): { direction: CursorDirection; position: CursorPosition } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(new TextDecoder().decode(base64url.decode(cursor)));
  } catch {
    throw invalidCursor();
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success || parsed.data.s !== listing) throw invalidCursor();
  return { direction: parsed.data.d, position: { value: parsed.data.v, id: parsed.data.i } };
}

/**
 * The instant of a cursor's position value, or `null` when it is not one `encodeCursor` could
 * have written: a forged far-away date (`-271821-04-20T…`) would otherwise reach the database,
 * which refuses it.
 */
export function cursorInstant(value: string | null): Date | null {
  if (value === null || !cursorInstantPattern.test(value)) return null;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/** The error for a cursor that is not one of this listing. */
export function invalidCursor(): TesseraError {
  return new TesseraError('validation_failed', undefined, { details: { fields: [{ path: 'cursor', code: 'invalid_cursor', message: 'is not a cursor of this listing' }] } });
}

/** What every listing page says about itself and its neighbours (and the HTTP links are made from). */
export interface PageNavigation {
  readonly limit: number;
  /** Present when paging by number. */
  readonly page: number | null;
  /** Whether a page follows this one / precedes it (in either paging mode). */
  readonly hasNext: boolean;
  readonly hasPrev: boolean;
  readonly nextCursor: string | null;
  readonly prevCursor: string | null;
  /** Present when a total was asked: the matching rows, counted up to the `listing.totalUpTo` option. */
  readonly total: number | null;
  /** `false` when counting stopped at `listing.totalUpTo`: more than `total` rows match. `null` without a total. */
  readonly totalIsExact: boolean | null;
}

/** How to read one page of a listing. */
export interface PageRequest<Row> {
  /** The listing's name in its cursors (a cursor of another listing or sort is refused). */
  readonly listing: string;
  readonly limit: number;
  readonly page: number | undefined;
  /** The direction of the cursor the page starts from, if any. */
  readonly direction: CursorDirection | undefined;
  readonly includeTotal: boolean;
  /** Reads `limit + 1` rows (the extra one tells whether a further page exists). */
  readonly list: () => Promise<Row[]>;
  /** Counts matching rows up to `upTo`. */
  readonly count: (upTo: number) => Promise<number>;
  /** Where a row stands in the listing's order, for the cursors. */
  readonly positionOf: (row: Row) => { value: string | Date | null; id: string };
}

/**
 * Reads a page and (when asked) its capped total at once, then cuts the page from `limit + 1`
 * rows and says whether pages follow and precede it. Walking backwards, the extra row is the one
 * furthest back; otherwise the one furthest ahead. Cursors are given only when paging by cursor.
 */
export async function readPage<Row>(deps: ServiceDeps, request: PageRequest<Row>): Promise<PageNavigation & { readonly rows: Row[] }> {
  const [fetched, total] = await Promise.all([
    translateStoreErrors(request.list),
    request.includeTotal ? cappedTotal(deps, request.count) : Promise.resolve(null),
  ]);
  const { limit, direction, page } = request;
  const hasMore = fetched.length > limit;
  const isBackwards = direction === 'before';
  const rows = hasMore ? (isBackwards ? fetched.slice(1) : fetched.slice(0, limit)) : fetched;
  const hasNext = isBackwards ? true : hasMore;
  const hasPrev = isBackwards ? hasMore : direction !== undefined || (page ?? 1) > 1;
  const first = rows[0];
  const last = rows[rows.length - 1];
  const byCursor = page === undefined;
  return {
    rows,
    limit,
    page: page ?? null,
    hasNext,
    hasPrev,
    nextCursor: byCursor && hasNext && last ? encodeCursor(request.listing, 'after', request.positionOf(last)) : null,
    prevCursor: byCursor && hasPrev && first ? encodeCursor(request.listing, 'before', request.positionOf(first)) : null,
    total: total?.total ?? null,
    totalIsExact: total?.isExact ?? null,
  };
}

/**
 * A listing's total, counted one row past `listing.totalUpTo`: that row tells "exactly
 * `totalUpTo`" from "more than that".
 */
async function cappedTotal(deps: ServiceDeps, count: (upTo: number) => Promise<number>): Promise<{ total: number; isExact: boolean }> {
  const upTo = deps.options.listing.totalUpTo;
  const counted = await translateStoreErrors(() => count(upTo + 1));
  return counted > upTo ? { total: upTo, isExact: false } : { total: counted, isExact: true };
}
