import type { Clock, RandomSource } from './ports/runtime.js';

/** A user's id: a UUIDv7 string, sortable by creation time. */
export type UserId = string & { readonly __brand: 'UserId' };

const hex = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

let lastMillis = -1;
let lastTail: Uint8Array | undefined;

/**
 * Makes a UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids sort by
 * creation time, which keeps keyset pagination and index inserts cheap; within one
 * millisecond (or when the clock steps back) the previous id's random part is incremented
 * (RFC 9562 §6.2, method 2), so ids made by one process are strictly increasing. Written here
 * rather than imported because it must draw on the injected clock and random source.
 */
export function newUuidV7(clock: Clock, random: RandomSource): string {
  let millis = clock.now().getTime();
  let tail: Uint8Array;
  if (millis <= lastMillis && lastTail) {
    millis = lastMillis;
    tail = incremented(lastTail);
  } else {
    tail = random.bytes(10);
  }
  lastMillis = millis;
  lastTail = tail;

  const bytes = new Uint8Array(16);
  // Split the 48-bit timestamp so no bitwise operation truncates it to 32 bits.
  const high = Math.floor(millis / 2 ** 16);
  bytes[0] = (high >>> 24) & 0xff;
  bytes[1] = (high >>> 16) & 0xff;
  bytes[2] = (high >>> 8) & 0xff;
  bytes[3] = high & 0xff;
  bytes[4] = (millis >>> 8) & 0xff;
  bytes[5] = millis & 0xff;
  bytes.set(tail, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const h = Array.from(bytes, (byte) => hex[byte]!);
  return `${h.slice(0, 4).join('')}-${h.slice(4, 6).join('')}-${h.slice(6, 8).join('')}-${h.slice(8, 10).join('')}-${h.slice(10).join('')}`;
}

/**
 * The 80 bits after the timestamp, plus one. The version nibble (top of byte 0) and the
 * variant bits (top of byte 2) are overwritten afterwards, so the carry skips them.
 */
function incremented(tail: Uint8Array): Uint8Array {
  const next = Uint8Array.from(tail);
  for (let index = next.length - 1; index >= 0; index -= 1) {
    const limit = index === 0 ? 0x0f : index === 2 ? 0x3f : 0xff;
    const value = (next[index]! & limit) + 1;
    if (value <= limit) {
      next[index] = (next[index]! & ~limit) | value;
      return next;
    }
    next[index] = next[index]! & ~limit;
  }
  return next;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string has the shape of a UUID (any version). */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
