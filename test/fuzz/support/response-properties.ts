import { errorTable, type ErrorCode } from '@tessera/core';
import type { ConcreteRequest } from './materialize.js';
import { operationFor, type Operation } from './operations.js';

/** What one response was, for the run's statistics. */
export interface Observation {
  readonly operationId: string;
  readonly status: number;
  readonly code: string | null;
  /** The first field issue of a validation failure, `path: code` (for the statistics). */
  readonly issue?: string;
}

const problemKeys = new Set(['type', 'title', 'status', 'code', 'detail', 'instance', 'errors', 'retryAfterSeconds']);
const oauthKeys = new Set([...problemKeys, 'error', 'error_description']);

/**
 * Checks every property a response must have, and throws one error listing each one broken:
 * - never a 5xx (the store is up, so a 503 is a failure too);
 * - a 4xx is RFC 9457 problem+json whose `type` is `urn:tessera:problem:<code>`, `code` in the
 *   error table with this status, `status` equal to the HTTP status, the table's `title`, field
 *   issues (`path`, `code`) on `validation_failed`, and no other members — unless the operation
 *   documents another media type for it (the verification link's page, the OAuth error);
 * - `no-store` and `nosniff` on problems, `WWW-Authenticate` on a 401, `Allow` on a 405,
 *   `Retry-After` equal to `retryAfterSeconds`;
 * - a 2xx has the documented media type, and parses when it is JSON; no body on 204 or HEAD;
 * - a response carrying personal data or tokens is `no-store` (tokens also `Pragma: no-cache`);
 * - no response contains a credential the request carried.
 */
export async function checkResponse(operations: readonly Operation[], request: ConcreteRequest, response: Response): Promise<Observation> {
  const text = await response.text();
  const { status } = response;
  const broken: string[] = [];
  const header = (name: string) => response.headers.get(name) ?? '';
  const contentType = header('content-type').toLowerCase();
  const pathname = new URL(`http://localhost${request.target}`).pathname;
  const inside = pathname === '/auth' || pathname.startsWith('/auth/');
  const operation = inside ? operationFor(operations, request.method, pathname.slice('/auth'.length) || '/') : null;
  const documented = operation?.responses[String(status)];
  let code: string | null = null;

  if (status >= 500) broken.push(`a ${status} (the store is up: never a 5xx)`);
  if (inside && request.method === 'HEAD' && text !== '') broken.push('content in an answer to HEAD');
  for (const secret of request.secrets) {
    const forms = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
    if (forms.some((form) => text.includes(form))) broken.push(`the response echoes a credential of the request (${secret.slice(0, 24)}…)`);
  }

  if (inside && status >= 400 && status < 500) {
    const isOAuthError = operation?.operationId === 'token' && contentType.startsWith('application/json') && (documented ?? []).includes('application/json');
    const isDocumentedPage = contentType.startsWith('text/html') && (documented ?? []).includes('text/html');
    if (isDocumentedPage) {
      if (!header('content-security-policy')) broken.push('an HTML error page without a Content-Security-Policy');
    } else if (!contentType.startsWith('application/problem+json') && !isOAuthError) {
      broken.push(`a ${status} that is not application/problem+json (content-type "${contentType}")`);
    } else {
      // A HEAD answer has the problem's headers and no content to check.
      if (request.method !== 'HEAD') code = checkProblem(text, status, isOAuthError, header('retry-after'), broken);
      if (header('cache-control') !== 'no-store') broken.push(`a problem without Cache-Control: no-store ("${header('cache-control')}")`);
      if (header('x-content-type-options') !== 'nosniff') broken.push('a problem without X-Content-Type-Options: nosniff');
      if (status === 401 && !/^Bearer\b/i.test(header('www-authenticate'))) broken.push('a 401 without a Bearer WWW-Authenticate challenge');
      if (status === 405 && header('allow') === '') broken.push('a 405 without Allow');
    }
  }

  if (inside && status >= 200 && status < 300) {
    if (!operation) broken.push(`a ${status} from no operation of the route table`);
    else if (documented === undefined) broken.push(`a ${status}, which ${operation.operationId} does not document`);
    else if (request.method !== 'HEAD') checkSuccessBody(operation, status, documented, contentType, text, broken);
    const keys = stringKeysOf(text);
    const carriesTokens = ['accessToken', 'access_token', 'refreshToken', 'refresh_token'].some((key) => keys.has(key));
    const carriesPersonalData = carriesTokens || keys.has('user-record') || contentType.startsWith('text/csv') || operation?.operationId === 'exportUsers';
    if (carriesPersonalData && !/\bno-store\b/.test(header('cache-control'))) broken.push(`personal data or tokens without Cache-Control: no-store ("${header('cache-control')}")`);
    if (carriesTokens && header('pragma') !== 'no-cache') broken.push('tokens without Pragma: no-cache');
  }
  if (inside && status === 303 && header('location') === '') broken.push('a 303 without Location');

  if (broken.length > 0) {
    throw new Error(`${request.method} ${request.target.slice(0, 300)} → ${status}:\n  - ${broken.join('\n  - ')}\n  body: ${text.slice(0, 600)}`);
  }
  const issue = code === 'validation_failed' ? firstIssueOf(text) : undefined;
  return { operationId: operation?.operationId ?? (inside ? '(no route)' : '(host app)'), status, code, ...(issue !== undefined && { issue }) };
}

/** Checks a problem details body; returns its code. */
function checkProblem(text: string, status: number, isOAuthError: boolean, retryAfter: string, broken: string[]): string | null {
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(text) as Record<string, unknown>;
  } catch {
    broken.push('a problem body that is not JSON');
    return null;
  }
  if (typeof problem !== 'object' || problem === null || Array.isArray(problem)) {
    broken.push('a problem body that is not an object');
    return null;
  }
  const code = typeof problem.code === 'string' ? problem.code : null;
  const row = code !== null && Object.hasOwn(errorTable, code) ? errorTable[code as ErrorCode] : null;
  if (!row) broken.push(`code ${JSON.stringify(problem.code)} is not in the error table`);
  if (problem.type !== `urn:tessera:problem:${code}`) broken.push(`type ${JSON.stringify(problem.type)} is not urn:tessera:problem:${code}`);
  if (problem.status !== status) broken.push(`status member ${JSON.stringify(problem.status)} is not the HTTP status ${status}`);
  // The OAuth token endpoint answers 400 for what RFC 6749 §5.2 makes a 400 (a wrong password included).
  if (row && row.status !== status && !isOAuthError) broken.push(`${code} answers ${row.status} in the error table, not ${status}`);
  if (typeof problem.title !== 'string' || problem.title === '' || (row && problem.title !== row.title)) broken.push(`title ${JSON.stringify(problem.title)} is not the table's "${row?.title}"`);
  if (problem.detail !== undefined && typeof problem.detail !== 'string') broken.push('detail is not a string');
  if (problem.instance !== undefined && typeof problem.instance !== 'string') broken.push('instance is not a string');
  if (code === 'validation_failed' || problem.errors !== undefined) {
    const errors = problem.errors;
    const isFieldIssue = (issue: unknown) => {
      const { path, code: issueCode, message } = (issue ?? {}) as Record<string, unknown>;
      return typeof path === 'string' && typeof issueCode === 'string' && issueCode !== '' && typeof message === 'string';
    };
    if (!Array.isArray(errors) || errors.length === 0 || !errors.every(isFieldIssue)) broken.push(`${code} without field issues { path, code, message }: ${JSON.stringify(errors)}`);
  }
  const { retryAfterSeconds } = problem;
  if (retryAfterSeconds !== undefined) {
    if (typeof retryAfterSeconds !== 'number' || !Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 1) broken.push(`retryAfterSeconds ${JSON.stringify(retryAfterSeconds)} is not a positive whole number`);
    else if (retryAfter !== String(retryAfterSeconds)) broken.push(`Retry-After "${retryAfter}" is not retryAfterSeconds ${retryAfterSeconds}`);
  }
  if (status === 429 && retryAfterSeconds === undefined) broken.push('a 429 without retryAfterSeconds');
  const extra = Object.keys(problem).filter((key) => !(isOAuthError ? oauthKeys : problemKeys).has(key));
  if (extra.length > 0) broken.push(`members outside RFC 9457 and Tessera's own: ${extra.join(', ')}`);
  return code;
}

function checkSuccessBody(operation: Operation, status: number, documented: readonly string[], contentType: string, text: string, broken: string[]): void {
  if (documented.length === 0) {
    if (text !== '') broken.push(`a body on a ${status}, documented without one`);
    return;
  }
  const isJson = /^application\/([\w.+-]+\+)?json\b/.test(contentType);
  // The export documents CSV; `format=json` streams a JSON array instead.
  const allowed = operation.operationId === 'exportUsers' ? [...documented, 'application/json'] : documented;
  if (!allowed.some((type) => contentType.startsWith(type))) broken.push(`content-type "${contentType}", documented as ${allowed.join(' or ')}`);
  if (isJson) {
    try {
      JSON.parse(text);
    } catch {
      broken.push('a JSON response that does not parse');
    }
  }
}

/** The keys that hold a string anywhere in a JSON body, and `user-record` when it holds a user (none when it is not JSON). */
function stringKeysOf(text: string): Set<string> {
  const keys = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      // A user as the API shows it: an object with an id and an email address.
      if (typeof (value as Record<string, unknown>).id === 'string' && typeof (value as Record<string, unknown>).email === 'string') keys.add('user-record');
      for (const [key, field] of Object.entries(value)) {
        if (typeof field === 'string') keys.add(key);
        else walk(field);
      }
    }
  };
  try {
    walk(JSON.parse(text));
  } catch {
    // Not JSON: a page or a CSV, judged by its content type.
  }
  return keys;
}

function firstIssueOf(text: string): string | undefined {
  const problem = JSON.parse(text) as { errors?: Array<{ path: string; code: string }> };
  const first = problem.errors?.[0];
  return first && `${first.path}: ${first.code}`;
}
