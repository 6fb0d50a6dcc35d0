import type { ListUsersInput, TesseraApi } from '../../packages/core/src/index.js';
import { datasetEnd } from './seed-users.js';

/** One admin query shape to time: a `listUsers` input, or one computed once beforehand. */
export interface Scenario {
  readonly name: string;
  readonly input: ListUsersInput | ((api: TesseraApi) => Promise<ListUsersInput>);
}

const operator = { operator: 'bench' } as const;
const dayMillis = 86_400_000;
const daysBeforeEnd = (days: number) => new Date(datasetEnd.getTime() - days * dayMillis);

/**
 * The shapes an admin screen sends: the first page, each filter alone, each sort both ways,
 * partial-text searches (a name, an email domain, a rare and a common fragment), a page deep
 * in the listing by cursor, filters with search and sort together, page numbers, and totals.
 */
export function adminSearchScenarios(): Scenario[] {
  const sorts = ['createdAt', 'lastLoginAt', 'email', 'username'] as const;
  return [
    { name: 'first page (default sort -createdAt)', input: {} },
    { name: 'role = MANAGER (0.8%)', input: { role: ['MANAGER'] } },
    { name: 'role = ADMIN (0.1%)', input: { role: ['ADMIN'] } },
    { name: 'status = suspended (1.2%)', input: { status: ['suspended'] } },
    { name: 'status = locked (0.3%), by email', input: { status: ['locked'], sort: 'email' } },
    { name: 'emailVerified = false (30%)', input: { emailVerified: false } },
    { name: 'proStatus = pending (2%)', input: { proStatus: ['pending'] } },
    { name: 'created in March 2025', input: { createdFrom: new Date('2025-03-01T00:00:00Z'), createdTo: new Date('2025-03-31T23:59:59Z') } },
    { name: 'last login in the last 7 days', input: { lastLoginFrom: daysBeforeEnd(7), lastLoginTo: datasetEnd } },
    { name: 'last login before 2024 (dormant; default sort -lastLoginAt)', input: { lastLoginTo: new Date('2024-01-01T00:00:00Z') } },
    { name: 'last login before 2024, by -createdAt', input: { lastLoginTo: new Date('2024-01-01T00:00:00Z'), sort: '-createdAt' } },
    { name: 'last login before 2024, by -lastLoginAt', input: { lastLoginTo: new Date('2024-01-01T00:00:00Z'), sort: '-lastLoginAt' } },
    ...sorts.flatMap((field) => [
      { name: `sort ${field}`, input: { sort: field } },
      { name: `sort -${field}`, input: { sort: `-${field}` as const } },
    ]),
    { name: 'search "mart" (name fragment)', input: { search: 'mart' } },
    { name: 'search "northwind.io" (email fragment)', input: { search: 'northwind.io' } },
    { name: 'search "xylander" (rare)', input: { search: 'xylander' } },
    { name: 'search "okafor" (uncommon surname)', input: { search: 'okafor' } },
    { name: 'search "son" (common)', input: { search: 'son' } },
    { name: 'search "ann" (three letters, common)', input: { search: 'ann' } },
    { name: 'search "qxz" (three letters, no match)', input: { search: 'qxz' } },
    { name: 'cursor: page at row 10,000 (next)', input: (api) => cursorAtRow(api, {}, 10_000, 'next') },
    { name: 'cursor: page before row 10,000 (prev)', input: (api) => cursorAtRow(api, {}, 10_000, 'prev') },
    { name: 'cursor: row 10,000 by email', input: (api) => cursorAtRow(api, { sort: 'email' }, 10_000, 'next') },
    { name: 'cursor: row 10,000 by lastLoginAt (ties)', input: (api) => cursorAtRow(api, { sort: 'lastLoginAt' }, 10_000, 'next') },
    {
      name: 'combined: AUTH+active+verified, "mar", by username',
      input: { role: ['AUTHENTICATED'], status: ['active'], emailVerified: true, search: 'mar', sort: 'username' },
    },
    {
      name: 'combined: pro approved|pending, 2025, "smith", -lastLoginAt',
      input: { proStatus: ['approved', 'pending'], createdFrom: new Date('2025-01-01T00:00:00Z'), search: 'smith', sort: '-lastLoginAt' },
    },
    { name: 'combined: MANAGER, last 30 days login, by email', input: { role: ['MANAGER'], lastLoginFrom: daysBeforeEnd(30), sort: 'email' } },
    { name: 'page 5 (page numbers)', input: { page: 5 } },
    { name: 'page 5, status = suspended', input: { page: 5, status: ['suspended'] } },
    { name: 'total: role = MANAGER', input: { role: ['MANAGER'], includeTotal: true } },
    { name: 'total: status = suspended', input: { status: ['suspended'], includeTotal: true } },
    { name: 'total: proStatus = pending (review queue)', input: { proStatus: ['pending'], includeTotal: true } },
    { name: 'total: search "okafor"', input: { search: 'okafor', includeTotal: true } },
    { name: 'total: created in March 2025', input: { createdFrom: new Date('2025-03-01T00:00:00Z'), createdTo: new Date('2025-03-31T23:59:59Z'), includeTotal: true } },
    { name: 'total: emailVerified = false (300k; counted up to 1,000)', input: { emailVerified: false, includeTotal: true } },
    { name: 'total: everyone (1M; counted up to 1,000)', input: { includeTotal: true } },
  ];
}

/**
 * The input of the page that starts at `row` (1-based) of a listing, reached through the cursor
 * API itself: pages of 100 followed by `nextCursor`. With `prev`, the page that ends just before
 * that row, by the `prevCursor` of the page starting there.
 */
async function cursorAtRow(api: TesseraApi, base: ListUsersInput, row: number, direction: 'next' | 'prev'): Promise<ListUsersInput> {
  let cursor: string | undefined;
  for (let skipped = 0; skipped < row - 1; skipped += 100) {
    const page = await api.listUsers(operator, { ...base, limit: 100, ...(cursor !== undefined && { cursor }) });
    if (!page.nextCursor) throw new Error(`the listing ends before row ${row}`);
    cursor = page.nextCursor;
  }
  if (direction === 'next') return { ...base, ...(cursor !== undefined && { cursor }) };
  const page = await api.listUsers(operator, { ...base, ...(cursor !== undefined && { cursor }) });
  if (!page.prevCursor) throw new Error(`no page before row ${row}`);
  return { ...base, cursor: page.prevCursor };
}
