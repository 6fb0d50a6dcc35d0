import type { FieldIssue } from '@tessera/core';

const tokenPlaceholder = '{token}';
const probeToken = 'tessera-link-probe';
const maxUrlLength = 2048;

/**
 * Checks a link template such as `https://app.example.com/verify?token={token}`: an absolute
 * URL with exactly one `{token}` outside the origin, `https:` (or `http:` on a loopback host,
 * for development), without credentials, whitespace or control characters. Records an issue
 * naming `path` and returns `undefined` when it is not.
 */
export function checkLinkTemplate(value: unknown, path: string, issues: FieldIssue[]): string | undefined {
  if (typeof value !== 'string') {
    issues.push({ path, code: 'invalid_type', message: 'must be a URL template with {token}, e.g. "https://app.example.com/verify-email?token={token}"' });
    return undefined;
  }
  if (value.split(tokenPlaceholder).length !== 2) {
    issues.push({ path, code: 'invalid_format', message: 'must contain {token} exactly once' });
    return undefined;
  }
  const probe = value.replace(tokenPlaceholder, probeToken);
  const problem = urlProblem(probe) ?? (new URL(probe).origin.includes(probeToken) ? 'must not put {token} in the scheme, host or port' : undefined);
  if (problem !== undefined) {
    issues.push({ path, code: 'invalid_format', message: problem });
    return undefined;
  }
  return value;
}

/** Checks a plain URL (no token), such as the app's home page; like {@link checkLinkTemplate}. */
export function checkPlainUrl(value: unknown, path: string, issues: FieldIssue[]): string | undefined {
  if (typeof value !== 'string') {
    issues.push({ path, code: 'invalid_type', message: 'must be an absolute URL, e.g. "https://app.example.com"' });
    return undefined;
  }
  const problem = value.includes(tokenPlaceholder) ? 'must not contain {token}' : urlProblem(value);
  if (problem !== undefined) {
    issues.push({ path, code: 'invalid_format', message: problem });
    return undefined;
  }
  return value;
}

/**
 * Puts a token into a checked link template, URL-encoded (a token never changes the shape of
 * the URL, whatever its characters).
 */
export function fillLinkTemplate(template: string, token: string): string {
  return template.replace(tokenPlaceholder, () => encodeURIComponent(token));
}

function urlProblem(candidate: string): string | undefined {
  // The URL parser silently drops tabs and newlines, so they are refused before parsing.
  if (candidate.length > maxUrlLength) return `must be at most ${maxUrlLength} characters`;
  if (/[\s\p{Cc}]/u.test(candidate)) return 'must not contain whitespace or control characters';
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  // A token sent over plain HTTP can be read on the way; http: is for local development only.
  return 'must be an https: URL (http: only for localhost)';
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
