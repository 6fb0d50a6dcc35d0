import type { PageNavigation } from '../services/keyset-page.js';
import type { Link } from './links.js';

/**
 * The navigation links of a page at `path`, keeping the request's other query parameters:
 * `self` and `first`, then `next`/`prev` by cursor, or by page number (with `last` when the
 * exact total is known).
 */
export function pageLinks(path: string, url: URL, page: PageNavigation): Record<string, Link> {
  const link = (changes: Record<string, string | null>): Link => {
    const params = new URLSearchParams(url.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) params.delete(key);
      else params.set(key, value);
    }
    const query = params.toString();
    return { href: `${path}${query ? `?${query}` : ''}` };
  };
  const links: Record<string, Link> = { self: link({}), first: link({ cursor: null, page: page.page === null ? null : '1' }) };
  if (page.page !== null) {
    if (page.hasNext) links.next = link({ page: String(page.page + 1) });
    if (page.hasPrev) links.prev = link({ page: String(page.page - 1) });
    if (page.total !== null && page.totalIsExact) links.last = link({ page: String(Math.max(1, Math.ceil(page.total / page.limit))) });
  } else {
    if (page.nextCursor) links.next = link({ cursor: page.nextCursor });
    if (page.prevCursor) links.prev = link({ cursor: page.prevCursor });
  }
  return links;
}
