import type { RandomSource } from '../ports/runtime.js';

const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';

/**
 * A random, URL-safe placeholder username such as `user-k7qm2xda` (40 random bits). Every
 * account gets one at creation, so usernames can serve as public identifiers from day one.
 */
export function placeholderUsername(random: RandomSource): string {
  const bytes = random.bytes(8);
  return `user-${Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('')}`;
}
