import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../src/email-address.js';
import { isUuid, newUuidV7 } from '../src/ids.js';
import { cryptoRandom } from '../src/ports/runtime.js';
import { hashToken, newRawToken, parseRawToken } from '../src/tokens/opaque-token.js';

describe('ids', () => {
  it('makes version-7 UUIDs carrying the creation time', () => {
    const at = new Date('2026-11-24T12:34:56.789Z');
    const id = newUuidV7({ now: () => at }, cryptoRandom);
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]!);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at.getTime());
  });

  it('makes strictly increasing ids within one millisecond and when the clock steps back', () => {
    let now = Date.parse('2026-11-24T12:00:00Z');
    const clock = { now: () => new Date(now) };
    const ids: string[] = [];
    for (let index = 0; index < 1000; index += 1) {
      ids.push(newUuidV7(clock, cryptoRandom));
      if (index === 500) now -= 10_000;
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
    expect(ids.every(isUuid)).toBe(true);
  });
});

describe('opaque tokens', () => {
  it('draws 256-bit tokens and hashes them with SHA-256', async () => {
    const token = newRawToken(cryptoRandom);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashToken(token)).not.toBe(await hashToken(newRawToken(cryptoRandom)));
    expect(parseRawToken(token)).toBe(token);
    expect(parseRawToken(`${token}=`)).toBeNull();
    expect(parseRawToken("' or 1=1 --")).toBeNull();
  });
});

describe('email normalisation', () => {
  it('trims, lower-cases and converts IDN domains to punycode', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
    expect(normalizeEmail('grace@Bücher.example')).toBe('grace@xn--bcher-kva.example');
    expect(normalizeEmail('no-at-sign')).toBe('no-at-sign');
  });
});
