/**
 * The one error type of Tessera, its stable codes, and the single table that maps each code
 * to an HTTP status and a human title. Adding a code without a row here fails to compile.
 */

/** Every stable error code Tessera can produce. Clients may branch on these strings. */
export const errorCodes = [
  'validation_failed',
  'malformed_request',
  'unsupported_media_type',
  'payload_too_large',
  'route_not_found',
  'method_not_allowed',
  'unauthenticated',
  'invalid_credentials',
  'invalid_current_password',
  'account_locked',
  'account_suspended',
  'email_not_verified',
  'email_taken',
  'username_taken',
  'weak_password',
  'invalid_token',
  'invalid_refresh_token',
  'forbidden',
  'user_not_found',
  'last_admin',
  'conflict',
  'rate_limited',
  'store_unavailable',
  'internal_error',
] as const;

/** A stable, machine-readable error code. */
export type ErrorCode = (typeof errorCodes)[number];

/** How an error code is presented over HTTP (RFC 9457 problem details). */
export interface ErrorPresentation {
  readonly status: number;
  readonly title: string;
}

/**
 * The one place where error codes meet HTTP statuses. The HTTP handler, the OpenAPI document
 * and the adapters all read this table; nothing else chooses a status.
 */
export const errorTable: Readonly<Record<ErrorCode, ErrorPresentation>> = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_request: { status: 400, title: 'The request body could not be read' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  route_not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'Method not allowed on this route' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  invalid_credentials: { status: 401, title: 'Invalid email or password' },
  invalid_current_password: { status: 400, title: 'The current password is not correct' },
  account_locked: { status: 423, title: 'The account is locked' },
  account_suspended: { status: 403, title: 'The account is suspended' },
  email_not_verified: { status: 403, title: 'The email address is not verified yet' },
  email_taken: { status: 409, title: 'An account with this email already exists' },
  username_taken: { status: 409, title: 'This username is taken' },
  weak_password: { status: 400, title: 'The password does not meet the password policy' },
  invalid_token: { status: 400, title: 'The token is invalid or has expired' },
  invalid_refresh_token: { status: 401, title: 'The refresh token is invalid or has expired' },
  forbidden: { status: 403, title: 'You are not allowed to do this' },
  user_not_found: { status: 404, title: 'No such user' },
  last_admin: { status: 409, title: 'The last administrator cannot be removed or demoted' },
  conflict: { status: 409, title: 'The resource was changed concurrently' },
  rate_limited: { status: 429, title: 'Too many requests' },
  store_unavailable: { status: 503, title: 'The service is temporarily unavailable' },
  internal_error: { status: 500, title: 'Internal error' },
};

/** One field-level problem inside a `validation_failed` error. */
export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `profile.githubUrl`; empty for the whole input. */
  readonly path: string;
  /** A stable machine-readable reason, e.g. `too_small`, `invalid_format`, `unrecognized_key`. */
  readonly code: string;
  /** An English explanation meant for developers; clients should localise from `code`. */
  readonly message: string;
}

/** Structured extra information attached to an error; safe to show to the client. */
export interface ErrorDetails {
  readonly fields?: readonly FieldIssue[];
  readonly retryAfterSeconds?: number;
  readonly [key: string]: unknown;
}

const tesseraErrorMarker = Symbol.for('@tessera/core/TesseraError');

/**
 * The error every Tessera service throws for a broken business rule or bad input.
 *
 * @example
 * ```ts
 * try {
 *   await tessera.api.login({ email, password });
 * } catch (error) {
 *   if (isTesseraError(error, 'invalid_credentials')) showLoginFailed();
 *   else throw error;
 * }
 * ```
 */
export class TesseraError extends Error {
  override readonly name = 'TesseraError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;
  readonly [tesseraErrorMarker] = true;

  constructor(code: ErrorCode, message?: string, options?: { details?: ErrorDetails; cause?: unknown }) {
    super(message ?? errorTable[code].title, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }

  /** The HTTP status this error maps to, from the one error table. */
  get status(): number {
    return errorTable[this.code].status;
  }
}

/**
 * Recognises a Tessera error, optionally of one code. Works across duplicated ESM/CJS copies
 * of the package, where `instanceof` would not.
 */
export function isTesseraError(error: unknown, code?: ErrorCode): error is TesseraError {
  if (typeof error !== 'object' || error === null || !(tesseraErrorMarker in error)) return false;
  return code === undefined || (error as TesseraError).code === code;
}

/**
 * Thrown at construction when the options object is wrong. It is a `TypeError` (misuse by the
 * developer, never by an end user) whose message names every offending option.
 */
export class TesseraConfigError extends TypeError {
  override readonly name = 'TesseraConfigError';
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[]) {
    super(`Invalid Tessera options:\n${issues.map((issue) => `  - ${issue.path || '(root)'}: ${issue.message}`).join('\n')}`);
    this.issues = issues;
  }
}
