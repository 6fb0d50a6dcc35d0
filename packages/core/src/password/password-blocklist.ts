/**
 * The blocklists of the password policy (ASVS v5.0.0-6.2.4, v5.0.0-6.2.11): the bundled
 * common passwords, and the words tied to the service and to the account.
 */
import { commonPasswordLines } from './common-passwords.js';

/** Who a new password is for: words from it may not appear in the password. */
export interface PasswordContext {
  /** The product name (the `appName` option). "tessera" is refused whatever it is. */
  readonly appName?: string | undefined;
  /** The account's email address; its local part is refused. */
  readonly email?: string | undefined;
  /** The account's username. */
  readonly username?: string | undefined;
}

/** Which kind of context word a password contains. */
export type ContextWordKind = 'appName' | 'email' | 'username';

/**
 * Shorter words are not looked for: a two- or three-letter name or local part ("ada", "jo")
 * would refuse a large share of honest passphrases for no gain.
 */
const minContextWordLength = 4;
const libraryName = 'tessera';

let commonPasswords: ReadonlySet<string> | undefined;

/**
 * Whether a password is on the bundled list of common passwords, compared case-insensitively.
 *
 * @param normalized The password after {@link normalizePassword} (NFKC).
 */
export function isCommonPassword(normalized: string): boolean {
  // Built on first use: a few milliseconds once, never for an app that sets no password.
  commonPasswords ??= new Set(commonPasswordLines.split('\n'));
  return commonPasswords.has(normalized.toLowerCase());
}

/**
 * The first context word the password contains (case-insensitive), or `null`.
 *
 * @param normalized The password after {@link normalizePassword} (NFKC).
 */
export function contextWordIn(normalized: string, context: PasswordContext): ContextWordKind | null {
  const password = foldCase(normalized);
  for (const [kind, words] of contextWords(context)) {
    if (words.some((word) => [...word].length >= minContextWordLength && password.includes(word))) return kind;
  }
  return null;
}

function contextWords(context: PasswordContext): Array<[ContextWordKind, string[]]> {
  const appName = foldCase(context.appName ?? '');
  const localPart = foldCase(context.email === undefined ? '' : context.email.slice(0, Math.max(0, context.email.lastIndexOf('@'))));
  return [
    // "My App" is typed as "myapp" as often as "my app".
    ['appName', [libraryName, appName, appName.replace(/\s+/g, '')]],
    // A subaddress ("ada.lovelace+shop") is refused along with its base.
    ['email', [localPart, localPart.split('+')[0] ?? '']],
    ['username', [foldCase(context.username ?? '')]],
  ];
}

function foldCase(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}
