/**
 * Text that ends up in a mail header (a subject, a display name) or on one line of a body.
 * A CR or LF in a header value would let a user-chosen name add headers (`Bcc:`) or
 * recipients; other control characters and bidirectional overrides can disguise a sender.
 */

// C0 and C1 controls (CR, LF, TAB, NUL, ...), DEL, the Unicode line and paragraph separators,
// and the bidirectional embedding/override/isolate characters.
const unsafeCharacters = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]+/gu;
const unsafeExceptNewlines = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

/**
 * A value fit for one header line: every control character becomes a space, runs of
 * whitespace collapse, the ends are trimmed and the length is capped (in code points).
 */
export function toHeaderText(value: string, maxLength: number): string {
  const flat = value.normalize('NFC').replace(unsafeCharacters, ' ').replace(/\s+/gu, ' ').trim();
  return [...flat].slice(0, maxLength).join('').trim();
}

/** Like {@link toHeaderText}, but keeps line breaks (as `\n`): for free text such as a reason. */
export function toMultilineText(value: string, maxLength: number): string {
  const lines = value
    .normalize('NFC')
    .replace(/\r\n?|[\u2028\u2029]/gu, '\n')
    .split('\n')
    .map((line) => line.replace(unsafeExceptNewlines, ' ').replace(/\s+/gu, ' ').trim());
  return [...lines.join('\n').replace(/\n{3,}/gu, '\n\n').trim()].slice(0, maxLength).join('');
}

// A plain addr-spec without display name, comments, quoting or spaces: what Tessera stores.
const plainAddress = /^[^\s@<>()[\]\\,;:"\p{Cc}]+@[^\s@<>()[\]\\,;:"\p{Cc}]+$/u;

/** Whether a value is one bare email address (no name, no list, no control characters). */
export function isPlainAddress(value: string): boolean {
  return value.length <= 254 && plainAddress.test(value);
}
