import { describe, expect, it } from 'vitest';
import { SecretSealer } from '../src/events/sealed-secrets.js';
import { cryptoRandom } from '../src/ports/runtime.js';

const sealer = new SecretSealer('an-app-secret-that-is-32-chars-long', cryptoRandom);

describe('sealed event secrets', () => {
  it('round-trips a value without showing it in the sealed text', async () => {
    const sealed = await sealer.seal({ token: 'super-secret-token' }, 'event-1');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('super-secret-token');
    expect(await sealer.open(sealed, 'event-1')).toEqual({ token: 'super-secret-token' });
  });

  it('uses a fresh nonce each time', async () => {
    expect(await sealer.seal({ a: 1 }, 'e')).not.toBe(await sealer.seal({ a: 1 }, 'e'));
  });

  it('refuses a sealed value moved to another event, tampered with, or opened with another secret', async () => {
    const sealed = await sealer.seal({ token: 't' }, 'event-1');
    await expect(sealer.open(sealed, 'event-2')).rejects.toThrow();
    // Change one character well inside the last part (never the final one, whose low bits base64url ignores).
    const at = sealed.length - 5;
    const flipped = `${sealed.slice(0, at)}${sealed[at] === 'A' ? 'B' : 'A'}${sealed.slice(at + 1)}`;
    expect(flipped).not.toBe(sealed);
    await expect(sealer.open(flipped, 'event-1')).rejects.toThrow();
    await expect(new SecretSealer('another-app-secret-also-32-chars-long', cryptoRandom).open(sealed, 'event-1')).rejects.toThrow();
    await expect(sealer.open('v2.x.y', 'event-1')).rejects.toThrow('Unknown sealed-secret format');
  });
});
