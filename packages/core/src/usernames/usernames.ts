import { TesseraError } from '../errors.js';
import type { RandomSource } from '../ports/runtime.js';

/** The username rules in force (the `usernames` options group). */
export interface UsernamePolicy {
  readonly minLength: number;
  readonly maxLength: number;
  /** Names nobody may take, nor anything that looks like them (`adm1n`, `r-o-o-t`, ...). */
  readonly reserved: readonly string[];
  readonly adjectives: readonly string[];
  readonly nouns: readonly string[];
  /** e.g. `{adjective}-{noun}-{number}`. */
  readonly format: string;
}

/** Lower-case letters and digits, with single `-` or `_` between them. */
const usernamePattern = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

/**
 * The one normalisation of usernames: Unicode NFKC (full-width and styled letters become
 * plain ones), then lower case. Applied before validation and before every lookup, so
 * comparisons are case-insensitive.
 */
export function normalizeUsername(raw: string): string {
  return raw.normalize('NFKC').toLowerCase();
}

/**
 * Validates a username a user chose, already normalised.
 *
 * @throws TesseraError `validation_failed` naming the `field` and the rule: `too_short`,
 * `too_long`, `invalid_format` or `reserved`.
 */
export function checkChosenUsername(policy: UsernamePolicy, username: string, field: string): void {
  const length = [...username].length;
  const fail = (code: string, message: string): never => {
    throw new TesseraError('validation_failed', message, { details: { fields: [{ path: field, code, message }] } });
  };
  if (length < policy.minLength) fail('too_short', `A username has at least ${policy.minLength} characters.`);
  if (length > policy.maxLength) fail('too_long', `A username has at most ${policy.maxLength} characters.`);
  if (!usernamePattern.test(username)) {
    fail('invalid_format', 'A username uses lower-case letters, digits, and single "-" or "_" between them.');
  }
  if (isReserved(policy, username)) fail('reserved', 'This username is reserved.');
}

/** Whether a username is a reserved name or a look-alike of one. */
export function isReserved(policy: UsernamePolicy, username: string): boolean {
  const candidate = skeleton(username);
  return policy.reserved.some((name) => skeleton(normalizeUsername(name)) === candidate);
}

/**
 * A name reduced to what it looks like: separators dropped, digits read as the letters they
 * resemble, and letter pairs that read as one letter merged.
 */
function skeleton(name: string): string {
  const lookAlikes: Readonly<Record<string, string>> = { '0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', i: 'l' };
  return name
    .replace(/[-_.]/g, '')
    .replace(/[0-9i]/g, (char) => lookAlikes[char] ?? char)
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w');
}

/**
 * Draws a random username in the configured format, by default adjective-noun-number (e.g.
 * `brave-otter-4821`): URL-safe and anonymous. Collisions are handled by the caller, which
 * draws again.
 */
export function generateUsername(policy: UsernamePolicy, random: RandomSource): string {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = random.bytes(6);
  const parts: Readonly<Record<string, string>> = {
    adjective: policy.adjectives[((a << 8) | b) % policy.adjectives.length]!,
    noun: policy.nouns[((c << 8) | d) % policy.nouns.length]!,
    number: String(1000 + (((e << 8) | f) % 9000)),
  };
  return policy.format.replace(/\{(adjective|noun|number)\}/g, (_, part: string) => parts[part]!);
}
