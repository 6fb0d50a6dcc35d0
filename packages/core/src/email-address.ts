/**
 * The one normalisation of email addresses: trimmed, the domain converted to its ASCII
 * (punycode) form, everything lower-cased. Two spellings of one address therefore collide on
 * the unique index instead of creating two accounts. Local parts stay ASCII-only (see
 * docs/security.md): no homoglyph classes to police.
 */
export function normalizeEmail(raw: string): string {
  const trimmed = raw.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return trimmed.toLowerCase();
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1);
  return `${local}@${domainToAscii(domain)}`.toLowerCase();
}

function domainToAscii(domain: string): string {
  if (/^[\x21-\x7e]*$/.test(domain)) return domain;
  try {
    // WHATWG URL parsing applies UTS #46 (IDNA) processing: NFC, case folding, punycode.
    return new URL(`http://${domain}`).hostname;
  } catch {
    return domain;
  }
}
