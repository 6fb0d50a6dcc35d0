import type { AdminUserView } from '@tessera/core';
import { expect, it } from 'vitest';
import { uniqueEmail } from '../fixtures.js';
import { signIn } from '../identity/helpers.js';
import type { HttpSuiteContext, HttpMount } from './contract.js';
import { expectedUserLinks, type OracleActor } from './permission-oracle.js';
import { jsonOf, send } from './requests.js';
import { seedUser } from './seed-user.js';

type Link = { href: string; method?: string };

interface UserPageBody {
  items: Array<AdminUserView & { _links: Record<string, Link> }>;
  page: { limit: number; number: number | null; sort: string; nextCursor: string | null; prevCursor: string | null; total: number | null };
  _links: Record<string, Link>;
}

async function pageAt(app: HttpMount, token: string, href: string): Promise<UserPageBody> {
  const response = await send(app, 'GET', href, { token });
  expect({ href, status: response.status }).toEqual({ href, status: 200 });
  return jsonOf<UserPageBody>(response);
}

/** Follows one relation from a page until a page has none. */
async function walk(app: HttpMount, token: string, from: UserPageBody, rel: 'next' | 'prev'): Promise<UserPageBody[]> {
  const pages = [from];
  for (let current = from; current._links[rel]; ) {
    current = await pageAt(app, token, current._links[rel].href);
    pages.push(current);
    if (pages.length > 20) throw new Error(`the ${rel} links never end`);
  }
  return pages;
}

const idsOf = (page: UserPageBody) => page.items.map((item) => item.id);
const queryOf = (link: Link | undefined) => (link ? Object.fromEntries(new URL(link.href, 'http://localhost').searchParams) : undefined);

/** Hypermedia: page links, item links limited to the caller's permissions, and cursor walks both ways. */
export function hypermediaSuite(context: HttpSuiteContext): void {
  it('walks 26 users forward and back with limit=10 by the next and prev links: same pages, no duplicates, no gaps', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    const expected = new Set([admin.user.id]);
    for (let index = 0; index < 25; index += 1) {
      // Four users share each creation instant, so the cursor must break ties by id.
      if (index % 4 === 0) t.clock.advance(1);
      expected.add((await seedUser(context)).id);
    }
    const token = admin.tokens.accessToken;
    const first = await pageAt(app, token, '/auth/users?limit=10');
    expect(first._links).toMatchObject({ self: { href: '/auth/users?limit=10' }, first: { href: '/auth/users?limit=10' }, create: { href: '/auth/users', method: 'POST' } });
    expect(first._links.prev).toBeUndefined();

    const forward = await walk(app, token, first, 'next');
    expect(forward.map((page) => page.items.length)).toEqual([10, 10, 6]);
    const seen = forward.flatMap(idsOf);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(expected);
    const created = forward.flatMap((page) => page.items.map((item) => item.createdAt));
    expect(created).toEqual([...created].sort().reverse());

    const backward = await walk(app, token, forward[forward.length - 1]!, 'prev');
    expect(backward.map(idsOf)).toEqual(forward.map(idsOf).reverse());
    expect(backward[backward.length - 1]!._links.prev).toBeUndefined();
    for (const page of [...forward, ...backward]) {
      expect(queryOf(page._links.next) ?? { limit: '10' }).toMatchObject({ limit: '10' });
      expect(page.page).toMatchObject({ limit: 10, number: null, sort: '-createdAt' });
    }
  });

  it('keeps the query (sort, filters, limit) in every page link', async () => {
    const { app, t } = context;
    const manager = await signIn(t, { role: 'MANAGER' });
    for (let index = 0; index < 7; index += 1) await seedUser(context, { email: uniqueEmail(`zed${index}`) });
    await seedUser(context, { role: 'ADMIN' });
    const first = await pageAt(app, manager.tokens.accessToken, '/auth/users?sort=email&role=AUTHENTICATED&limit=3');
    const pages = await walk(app, manager.tokens.accessToken, first, 'next');
    expect(pages.map((page) => page.items.length)).toEqual([3, 3, 1]);
    const emails = pages.flatMap((page) => page.items.map((item) => item.email));
    expect(emails).toEqual([...emails].sort());
    for (const page of pages) {
      for (const rel of ['self', 'first', 'next', 'prev'] as const) {
        if (page._links[rel]) expect(queryOf(page._links[rel]), rel).toMatchObject({ sort: 'email', role: 'AUTHENTICATED', limit: '3' });
      }
    }
  });

  it('numbers pages with page=: self, first, next, prev and, with total=true, last', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    for (let index = 0; index < 25; index += 1) await seedUser(context);
    const token = admin.tokens.accessToken;
    const second = await pageAt(app, token, '/auth/users?limit=10&page=2&total=true');
    expect(second.page).toMatchObject({ limit: 10, number: 2, total: 26, nextCursor: null, prevCursor: null });
    expect(second.items).toHaveLength(10);
    expect({ self: queryOf(second._links.self), first: queryOf(second._links.first), next: queryOf(second._links.next), prev: queryOf(second._links.prev), last: queryOf(second._links.last) }).toEqual({
      self: { limit: '10', page: '2', total: 'true' },
      first: { limit: '10', page: '1', total: 'true' },
      next: { limit: '10', page: '3', total: 'true' },
      prev: { limit: '10', page: '1', total: 'true' },
      last: { limit: '10', page: '3', total: 'true' },
    });
    const third = await pageAt(app, token, second._links.next!.href);
    expect(third.items).toHaveLength(6);
    expect(third._links.next).toBeUndefined();
    expect(queryOf(third._links.prev)).toMatchObject({ page: '2' });
    const firstPage = await pageAt(app, token, second._links.first!.href);
    expect(firstPage._links.prev).toBeUndefined();
    expect([...idsOf(firstPage), ...idsOf(second), ...idsOf(third)].length).toBe(new Set([...idsOf(firstPage), ...idsOf(second), ...idsOf(third)]).size);
    const withoutTotal = await pageAt(app, token, '/auth/users?limit=10&page=2');
    expect(withoutTotal._links.last).toBeUndefined();
    expect(withoutTotal.page.total).toBeNull();
  });

  it('links each listed user only to the actions the caller may take on it, in the state it is in', async () => {
    const { app, t } = context;
    const manager = await signIn(t, { role: 'MANAGER' });
    const admin = await signIn(t, { role: 'ADMIN' });
    await seedUser(context, { status: 'locked' });
    await seedUser(context, { status: 'suspended' });
    await seedUser(context, { proStatus: 'pending' });
    await seedUser(context, { proStatus: 'approved' });
    await seedUser(context, { role: 'MANAGER', proStatus: 'pending' });
    await seedUser(context, { role: 'ADMIN', proStatus: 'approved' });
    for (const caller of [manager, admin]) {
      const actor: OracleActor = { id: caller.user.id, role: caller.user.role };
      const page = await pageAt(app, caller.tokens.accessToken, '/auth/users?limit=100');
      expect(page.items).toHaveLength(8);
      for (const item of page.items) {
        expect({ caller: actor.role, target: `${item.role} ${item.status} pro:${item.pro.status}`, links: item._links }).toEqual({
          caller: actor.role,
          target: `${item.role} ${item.status} pro:${item.pro.status}`,
          links: expectedUserLinks(actor, item),
        });
      }
      expect(page._links.create).toEqual({ href: '/auth/users', method: 'POST' });
    }
  });
}
