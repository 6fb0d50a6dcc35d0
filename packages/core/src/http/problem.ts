import { errorTable, isTesseraError, TesseraError, type ErrorCode, type FieldIssue } from '../errors.js';
import { StoreUnavailableError } from '../ports/store.js';

/** An RFC 9457 problem details object, as Tessera sends it. */
export interface ProblemDetails {
  /** A URI naming the problem type: `urn:tessera:problem:<code>`. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  /** The stable error code (the same as in `TesseraError.code`). */
  readonly code: ErrorCode;
  readonly detail?: string;
  /** The request path the problem occurred on. */
  readonly instance?: string;
  /** Field-level problems of a `validation_failed` (or `weak_password`) error. */
  readonly errors?: readonly FieldIssue[];
  /** For 423 and 429: when to try again; also sent as `Retry-After`. */
  readonly retryAfterSeconds?: number;
}

/**
 * Headers every Tessera response carries: tokens and personal data must not be cached; no
 * sniffing; no `Referer` from a page reached through a URL that may carry a token.
 */
export const responseSecurityHeaders: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Extra headers of responses that carry tokens (RFC 6749 §5.1). */
export const tokenResponseHeaders: Readonly<Record<string, string>> = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** The media type of problem responses. */
export const problemMediaType = 'application/problem+json';

/** The `type` URI of a code. */
export function problemType(code: ErrorCode): string {
  return `urn:tessera:problem:${code}`;
}

/**
 * Turns anything thrown into problem details. A `TesseraError` keeps its code and details;
 * an unreachable store is a 503; anything else is a 500 that reveals nothing.
 */
export function toProblem(error: unknown, instance?: string): ProblemDetails {
  const tesseraError = isTesseraError(error)
    ? error
    : error instanceof StoreUnavailableError
      ? new TesseraError('store_unavailable', undefined, { cause: error })
      : new TesseraError('internal_error', undefined, { cause: error });
  const { status, title } = errorTable[tesseraError.code];
  const fields = tesseraError.details?.fields;
  const retryAfterSeconds = tesseraError.details?.retryAfterSeconds;
  return {
    type: problemType(tesseraError.code),
    title,
    status,
    code: tesseraError.code,
    ...(tesseraError.message !== title && { detail: tesseraError.message }),
    ...(instance !== undefined && { instance }),
    ...(fields && fields.length > 0 && { errors: fields }),
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
  };
}

/** The headers a problem response needs besides its content type. */
export function problemHeaders(problem: ProblemDetails): Record<string, string> {
  const headers: Record<string, string> = {};
  if (problem.retryAfterSeconds !== undefined) headers['retry-after'] = String(problem.retryAfterSeconds);
  // RFC 9110 §15.5.2: every 401 names the authentication scheme to use (RFC 6750 for bearer).
  if (problem.status === 401) headers['www-authenticate'] = 'Bearer realm="tessera"';
  return headers;
}

/**
 * A complete problem+json `Response` for anything thrown: what the handler answers with, and
 * what an adapter sends for an error it catches in its own scope.
 */
export function problemResponse(error: unknown, instance?: string, extraHeaders: Readonly<Record<string, string>> = {}): Response {
  const problem = toProblem(error, instance);
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'content-type': problemMediaType, ...responseSecurityHeaders, ...problemHeaders(problem), ...extraHeaders },
  });
}
