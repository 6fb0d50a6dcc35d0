import { expect } from 'vitest';
import type { HttpMount } from './contract.js';

/** What a test sends: a JSON or form body (or raw bytes), a bearer token, extra headers. */
export interface Send {
  readonly json?: unknown;
  readonly form?: Readonly<Record<string, string>>;
  readonly body?: RequestInit['body'];
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Sends one request to the app under test. */
export function send(app: HttpMount, method: string, path: string, options: Send = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  let body: RequestInit['body'] = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form as Record<string, string>).toString();
  }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  return app.fetch(path, { method, headers: { ...headers, ...options.headers }, ...(body !== undefined && { body }) });
}

/** A JSON response body, after checking that it is JSON. */
export async function jsonOf<T = Record<string, unknown>>(response: Response): Promise<T> {
  expect(response.headers.get('content-type') ?? '').toMatch(/^application\/json(;|$)/);
  return (await response.json()) as T;
}

/** The body of an RFC 9457 problem response, as the contract promises it. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly errors?: ReadonlyArray<{ path: string; code: string; message: string }>;
  readonly retryAfterSeconds?: number;
  readonly [key: string]: unknown;
}

/**
 * Asserts a problem response: the status, `application/problem+json`, a body with `type`,
 * `title`, `status` (equal to the HTTP status) and the stable `code`, `no-store`, `nosniff`, and on a 401
 * a `WWW-Authenticate` challenge (RFC 9110 §15.5.2: a 401 MUST carry one). Header checks are
 * soft, so a missing header fails the test without hiding what follows.
 */
export async function expectProblem(response: Response, status: number, code: string): Promise<ProblemBody> {
  const text = await response.text();
  expect({ status: response.status, body: text.slice(0, 300) }).toMatchObject({ status });
  expect(response.headers.get('content-type') ?? '').toMatch(/^application\/problem\+json(;|$)/);
  // Header defects are soft: the test fails, and still checks everything else.
  expect.soft(response.headers.get('cache-control')).toBe('no-store');
  expect.soft(response.headers.get('x-content-type-options'), 'nosniff on a problem').toBe('nosniff');
  if (status === 401) expect.soft(response.headers.get('www-authenticate') ?? '', '401 without WWW-Authenticate').toMatch(code === 'unauthenticated' ? /^Bearer\b/i : /\S/);
  const problem = JSON.parse(text) as ProblemBody;
  expect(problem).toMatchObject({ type: `urn:tessera:problem:${code}`, status, code });
  expect(typeof problem.title).toBe('string');
  expect(problem.title.length).toBeGreaterThan(0);
  return problem;
}

/** Asserts that a `validation_failed` problem names a field with an issue code. */
export function expectFieldIssue(problem: ProblemBody, path: string, code: string): void {
  expect(problem.errors ?? []).toContainEqual(expect.objectContaining({ path, code }));
}

/** Asserts the headers every response carrying tokens or personal data must have. */
export function expectNoStore(response: Response): void {
  expect.soft(response.headers.get('cache-control')).toBe('no-store');
}

/** Asserts the headers of a response carrying tokens (RFC 6749 §5.1). */
export function expectTokenHeaders(response: Response): void {
  expect.soft({ cacheControl: response.headers.get('cache-control'), pragma: response.headers.get('pragma') }).toEqual({ cacheControl: 'no-store', pragma: 'no-cache' });
}

/** A body that arrives in chunks without a Content-Length (`Transfer-Encoding: chunked`). */
export function chunkedBody(totalBytes: number, chunkBytes = 8 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const size = Math.min(chunkBytes, totalBytes - sent);
      // A JSON string that keeps going: only a size cap can stop it.
      const chunk = new TextEncoder().encode(sent === 0 ? `{"email":"${'a'.repeat(size - 10)}` : 'a'.repeat(size));
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}
