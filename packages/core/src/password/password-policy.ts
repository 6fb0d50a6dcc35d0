import { isTesseraError, TesseraError } from '../errors.js';
import { contextWordIn, isCommonPassword, type ContextWordKind, type PasswordContext } from './password-blocklist.js';

export type { PasswordContext } from './password-blocklist.js';

/** The password rules in force (from the `password` options group). */
export interface PasswordPolicy {
  /** Minimum length in Unicode code points. */
  readonly minLength: number;
  /** Maximum length in Unicode code points. */
  readonly maxLength: number;
  /**
   * Optional breached-password check (e.g. a k-anonymity range query). Resolves `true` when
   * the password is known to be breached.
   */
  readonly isBreached?: ((password: string) => Promise<boolean>) | undefined;
}

/** Why a password was refused; the `code` of the field issue in a `weak_password` error. */
export type PasswordRejection = 'not_well_formed' | 'too_short' | 'too_long' | 'common' | 'context' | 'breached';

/** The UTF-8 size beyond which a password is refused whatever its length in code points. */
const maxPasswordBytes = 1024;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The one normalisation every password goes through before hashing and before verifying:
 * Unicode NFKC (NIST SP 800-63B), so the same password typed on two keyboards matches. Never
 * trimmed, truncated or case-folded.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/**
 * Checks a new password against the NIST SP 800-63B policy: length only, no composition
 * rules; not one of the bundled common passwords; no word tied to the service or the account
 * (the app name, "tessera", the email's local part, the username); and, when configured, not
 * known to the breached-password check. Lists are compared case-insensitively on the
 * normalised password; what is returned (and hashed) keeps its case.
 *
 * @param password The password as typed (it is normalised here).
 * @param field The input field to name in the error, e.g. `password` or `newPassword`.
 * @param context Who the password is for, so that its words can be refused.
 * @returns The normalised password, ready for the hasher.
 * @throws TesseraError `weak_password` naming the field and the rule it broke (`too_short`,
 *   `too_long`, `not_well_formed`, `common`, `context`, `breached`); `store_unavailable` when
 *   the breached-password check fails (fails closed).
 *
 * @example
 * ```ts
 * const normalized = await checkNewPassword({ minLength: 15, maxLength: 256 }, 'correct horse battery staple', 'password', {
 *   appName: 'Acme',
 *   email: 'ada@example.com',
 * });
 * ```
 */
export async function checkNewPassword(policy: PasswordPolicy, password: string, field: string, context: PasswordContext = {}): Promise<string> {
  const rejection = shapeRejection(policy, password);
  if (rejection) throw weakPassword(field, rejection.code, rejection.message);
  const normalized = normalizePassword(password);
  if (isCommonPassword(normalized)) {
    throw weakPassword(field, 'common', 'This password is one of the most commonly used passwords; choose another one.');
  }
  const contextWord = contextWordIn(normalized, context);
  if (contextWord) throw weakPassword(field, 'context', contextMessages[contextWord]);
  if (policy.isBreached && (await askBreachCheck(policy.isBreached, normalized))) {
    throw weakPassword(field, 'breached', 'This password has appeared in a data breach; choose another one.');
  }
  return normalized;
}

const contextMessages: Readonly<Record<ContextWordKind, string>> = {
  appName: 'The password must not contain the name of the service.',
  email: 'The password must not contain the part of your email address before the @.',
  username: 'The password must not contain your username.',
};

async function askBreachCheck(isBreached: (password: string) => Promise<boolean>, normalized: string): Promise<boolean> {
  try {
    return await isBreached(normalized);
  } catch (error) {
    // A check that throws fails closed, as a retryable 503 rather than an opaque 500; a check
    // that should fail open says so itself (see haveIBeenPwnedChecker's `failOpen`).
    if (isTesseraError(error)) throw error;
    throw new TesseraError('store_unavailable', 'The breached-password check is unavailable; try again later.', { cause: error });
  }
}

function shapeRejection(policy: PasswordPolicy, password: string): { code: PasswordRejection; message: string } | null {
  if (loneSurrogate.test(password)) return { code: 'not_well_formed', message: 'The password contains invalid Unicode.' };
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  if (length < policy.minLength) {
    return { code: 'too_short', message: `The password must have at least ${policy.minLength} characters.` };
  }
  if (length > policy.maxLength || new TextEncoder().encode(normalized).length > maxPasswordBytes) {
    return { code: 'too_long', message: `The password must have at most ${policy.maxLength} characters.` };
  }
  return null;
}

function weakPassword(field: string, code: PasswordRejection, message: string): TesseraError {
  return new TesseraError('weak_password', message, { details: { fields: [{ path: field, code, message }] } });
}
