/**
 * A breached-password check for `password.isBreached` over the Have I Been Pwned "Pwned
 * Passwords" range API (k-anonymity): only the first 5 hex digits of the password's SHA-1
 * leave the process.
 */

/** Options of {@link haveIBeenPwnedChecker}. */
export interface HaveIBeenPwnedOptions {
  /** The `fetch` to query with (a proxy-aware one, or a fake in tests). @default globalThis.fetch */
  readonly fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** How long one query (request and body) may take before it counts as failed. @default 2000 */
  readonly timeoutMs?: number;
  /** The `User-Agent` sent (the API asks for one that names the app). @default 'tessera-password-check' */
  readonly userAgent?: string;
  /**
   * What a failed query (network error, timeout, non-200 answer, malformed body) means:
   * `true` lets the password through (as not known to be breached); `false` rejects, and the
   * password change is refused with a `503 store_unavailable`. @default true
   */
  readonly failOpen?: boolean;
  /** Called with every failed query, e.g. to log it (a failing-open check is otherwise silent). */
  readonly onError?: (error: Error) => void;
}

/** The address of the range API; the 5-digit prefix is appended. */
export const pwnedPasswordsRangeUrl = 'https://api.pwnedpasswords.com/range/';

const defaultTimeoutMs = 2000;
const suffixLength = 35;
const rangeLine = /^([0-9A-Fa-f]{35}):(\d+)$/;

/**
 * Builds a breached-password check for `password.isBreached` that asks the Pwned Passwords
 * range API. The password's SHA-1 is computed here; only its first 5 hex digits are sent, with
 * `Add-Padding: true` so that the size of the answer does not reveal the prefix either. The
 * other 35 digits are compared with every suffix of the answer (each in full, without an early
 * exit); padding entries (count 0) never match.
 *
 * @returns `(password) => Promise<boolean>`: `true` when the password appears in a breach.
 * @throws TypeError when `timeoutMs` is not a positive integer.
 *
 * @example
 * ```ts
 * const tessera = createTessera({
 *   // ...
 *   password: { isBreached: haveIBeenPwnedChecker({ userAgent: 'acme-auth', onError: (error) => logger.warn({ error }, 'HIBP unavailable') }) },
 * });
 * ```
 */
export function haveIBeenPwnedChecker(options: HaveIBeenPwnedOptions = {}): (password: string) => Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new TypeError('haveIBeenPwnedChecker: timeoutMs must be a positive integer');
  const userAgent = options.userAgent ?? 'tessera-password-check';
  const failOpen = options.failOpen ?? true;

  return async (password) => {
    const digest = await sha1Hex(password);
    const prefix = digest.slice(0, 5);
    const suffix = digest.slice(5);
    try {
      const body = await withTimeout(timeoutMs, (signal) => queryRange(options.fetch ?? globalThis.fetch, prefix, userAgent, signal));
      return rangeContains(body, suffix);
    } catch (cause) {
      const error = cause instanceof PwnedPasswordsError ? cause : new PwnedPasswordsError('the Pwned Passwords query failed', { cause });
      options.onError?.(error);
      if (failOpen) return false;
      throw error;
    }
  };
}

/** A failed Pwned Passwords query: what `onError` receives and what a failing-closed check rejects with. */
export class PwnedPasswordsError extends Error {
  override readonly name = 'PwnedPasswordsError';
}

async function queryRange(
  fetchRange: NonNullable<HaveIBeenPwnedOptions['fetch']>,
  prefix: string,
  userAgent: string,
  signal: AbortSignal,
): Promise<string> {
  const response = await fetchRange(`${pwnedPasswordsRangeUrl}${prefix}`, {
    method: 'GET',
    headers: { 'add-padding': 'true', 'user-agent': userAgent },
    redirect: 'error',
    signal,
  });
  if (response.status !== 200) throw new PwnedPasswordsError(`the Pwned Passwords API answered ${response.status}`);
  return response.text();
}

/** Whether the answer lists the suffix with a count above 0. Every line is compared in full. */
function rangeContains(body: string, suffix: string): boolean {
  let found = false;
  for (const line of body.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const match = rangeLine.exec(trimmed);
    if (!match) throw new PwnedPasswordsError('the Pwned Passwords API answered in an unexpected format');
    const matches = sameSuffix(match[1]!.toUpperCase(), suffix);
    // Padding entries carry a count of 0: never a match, even if one happened to collide.
    found = (matches && Number(match[2]) > 0) || found;
  }
  return found;
}

/** Compares two 35-digit suffixes without an early exit on the first differing digit. */
function sameSuffix(candidate: string, suffix: string): boolean {
  let difference = 0;
  for (let index = 0; index < suffixLength; index += 1) difference |= candidate.charCodeAt(index) ^ suffix.charCodeAt(index);
  return difference === 0;
}

async function sha1Hex(password: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(password)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('').toUpperCase();
}

/** Runs `work` with an abort signal, and gives up (aborting it) after `timeoutMs`. */
async function withTimeout<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Raced as well as signalled: a fetch that ignores its signal still cannot hold the request.
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new PwnedPasswordsError(`the Pwned Passwords API did not answer within ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
