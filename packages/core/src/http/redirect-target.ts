/**
 * Where the links from mails may send a browser (ASVS v5.0.0-3.7.2): only to targets fixed in
 * the options, checked at start-up. No route takes a redirect target from the request.
 */

/** The origin relative paths are resolved against, to check they stay on the same origin. */
const probeOrigin = 'https://tessera.invalid';

/**
 * Why a configured redirect target is refused, or `undefined` when it is fine: a path of the
 * app (one leading `/`), or an absolute `https:` URL (`http:` only on a loopback host) without
 * credentials. Protocol-relative (`//evil.example`), backslash (`/\evil.example`) and
 * script or data URLs are refused, and so is anything the WHATWG URL parser would resolve to
 * another origin than the one it seems to name.
 *
 * @param value The option's value, e.g. `/welcome` or `https://app.example.com/welcome`.
 */
export function redirectTargetProblem(value: string): string | undefined {
  const expected = 'must be a path of the app ("/welcome") or an absolute https: URL (http: only for localhost)';
  // The URL parser silently drops tabs and newlines and reads "\" as "/" in web URLs, which
  // is how "/\t/evil.example" and "/\evil.example" turn into another host.
  if (/[\s\p{Cc}\\]/u.test(value)) return 'must not contain whitespace, control characters or backslashes';
  if (value.startsWith('/')) {
    if (value.startsWith('//')) return `${expected}; "//" starts another host`;
    return new URL(value, probeOrigin).origin === probeOrigin ? undefined : expected;
  }
  // "https:evil.example" parses too, but only the spelled-out form says plainly where it goes.
  if (!/^https?:\/\//i.test(value)) return expected;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return expected;
  }
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  if (url.protocol === 'https:' && url.hostname !== '') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  return expected;
}

/**
 * The `Location` of a landing redirect: the configured target (already checked by
 * {@link redirectTargetProblem}) with `status` added to its query, before any fragment.
 *
 * @example
 * ```ts
 * landingLocation('https://app.example.com/welcome?from=mail#top', 'verified');
 * // 'https://app.example.com/welcome?from=mail&status=verified#top'
 * ```
 */
export function landingLocation(target: string, status: string): string {
  const url = new URL(target, probeOrigin);
  // Appended, not set through searchParams, so the app's own query keeps its exact spelling.
  url.search = url.search === '' ? `?status=${encodeURIComponent(status)}` : `${url.search}&status=${encodeURIComponent(status)}`;
  return target.startsWith('/') ? `${url.pathname}${url.search}${url.hash}` : url.href;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
