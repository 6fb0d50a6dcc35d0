import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { haveIBeenPwnedChecker, PwnedPasswordsError } from '../src/password/hibp.js';
import { checkNewPassword } from '../src/password/password-policy.js';

// SHA-1("password") = 5BAA6 (the prefix) 1E4C9B93F3F0682250B6CF8331B7EE68FD8 (the suffix)
const password = 'password';
const suffix = '1E4C9B93F3F0682250B6CF8331B7EE68FD8';

interface SentRequest {
  readonly url: string;
  readonly init: RequestInit;
}

/** A fetch that records what would leave the process and answers with a fixed body. */
function fakeFetch(answer: () => Response | Promise<Response>) {
  const sent: SentRequest[] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    sent.push({ url, init });
    return answer();
  };
  return { fetch, sent };
}

const paddingLine = (index: number) => `${index.toString(16).toUpperCase().padStart(35, 'F')}:0`;
const rangeBody = (...lines: string[]) => [...lines, ...Array.from({ length: 5 }, (_, index) => paddingLine(index))].join('\r\n');

afterEach(() => {
  vi.useRealTimers();
});

describe('haveIBeenPwnedChecker (Pwned Passwords range API, k-anonymity)', () => {
  it('sends only the first 5 hex digits of the SHA-1, with Add-Padding, and nothing else about the password', async () => {
    const secret = 'Tr0ub4dor&3 on a staple';
    const digest = createHash('sha1').update(secret, 'utf8').digest('hex').toUpperCase();
    const { fetch, sent } = fakeFetch(() => new Response(rangeBody(`${digest.slice(5)}:12`)));
    expect(await haveIBeenPwnedChecker({ fetch, userAgent: 'acme-auth' })(secret)).toBe(true);
    expect(sent).toHaveLength(1);
    const [{ url, init }] = sent as [SentRequest];
    expect(url).toBe(`https://api.pwnedpasswords.com/range/${digest.slice(0, 5)}`);
    expect(init.method).toBe('GET');
    expect(init.body).toBeUndefined();
    expect(new Headers(init.headers).get('add-padding')).toBe('true');
    expect(new Headers(init.headers).get('user-agent')).toBe('acme-auth');
    const everythingSent = JSON.stringify({ url, headers: [...new Headers(init.headers)], body: init.body ?? null });
    for (const leak of [secret, 'Tr0ub4dor', digest.slice(5), digest.slice(5).toLowerCase(), digest.slice(5, 11)]) expect(everythingSent).not.toContain(leak);
    expect(everythingSent.match(/[0-9A-F]{5,}/gi)).toEqual([digest.slice(0, 5)]);
  });

  it('finds the suffix in any case and line ending, and answers false for a suffix not listed', async () => {
    const listed = haveIBeenPwnedChecker({ fetch: fakeFetch(() => new Response(`0018A45C4D1DEF81644B54AB7F969B88D65:1\n${suffix.toLowerCase()}:3\n`)).fetch });
    expect(await listed(password)).toBe(true);
    const other = haveIBeenPwnedChecker({ fetch: fakeFetch(() => new Response(rangeBody('0018A45C4D1DEF81644B54AB7F969B88D65:1'))).fetch });
    expect(await other(password)).toBe(false);
  });

  it('never counts a padding entry (count 0) as a breach, even with the very suffix', async () => {
    const check = haveIBeenPwnedChecker({ fetch: fakeFetch(() => new Response(rangeBody(`${suffix}:0`))).fetch });
    expect(await check(password)).toBe(false);
  });

  it('fails open by default on a non-200 answer or a malformed body, telling onError', async () => {
    const errors: Error[] = [];
    for (const answer of [() => new Response('busy', { status: 503 }), () => new Response('<html>not a range</html>'), () => Promise.reject(new TypeError('fetch failed'))]) {
      const check = haveIBeenPwnedChecker({ fetch: fakeFetch(answer).fetch, onError: (error) => errors.push(error) });
      expect(await check(password)).toBe(false);
    }
    expect(errors).toHaveLength(3);
    expect(errors.every((error) => error instanceof PwnedPasswordsError)).toBe(true);
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/503/), expect.stringMatching(/unexpected format/), expect.stringMatching(/failed/)]);
  });

  it('fails closed with failOpen: false, which the password policy turns into a 503 store_unavailable', async () => {
    const check = haveIBeenPwnedChecker({ fetch: fakeFetch(() => new Response('', { status: 500 })).fetch, failOpen: false });
    await expect(check(password)).rejects.toBeInstanceOf(PwnedPasswordsError);
    await expect(checkNewPassword({ minLength: 15, maxLength: 256, isBreached: check }, 'correct horse battery staple', 'password')).rejects.toMatchObject({
      code: 'store_unavailable',
      status: 503,
    });
  });

  it('gives up after timeoutMs, aborting the request: false when failing open, a rejection when failing closed', async () => {
    vi.useFakeTimers();
    for (const failOpen of [true, false]) {
      let signal: AbortSignal | undefined;
      let called!: () => void;
      const fetchCalled = new Promise<void>((resolve) => (called = resolve));
      // Honours its signal, like the real fetch.
      const hanging = (_url: string, init: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          signal = init.signal!;
          signal.addEventListener('abort', () => reject(signal!.reason instanceof Error ? signal!.reason : new Error('aborted')));
          called();
        });
      const outcome = haveIBeenPwnedChecker({ fetch: hanging, timeoutMs: 1500, failOpen })(password).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      await fetchCalled;
      await vi.advanceTimersByTimeAsync(1499);
      expect(signal!.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(signal!.aborted).toBe(true);
      const result = await outcome;
      if (failOpen) expect(result).toEqual({ value: false });
      else expect((result as { error: Error }).error).toBeInstanceOf(PwnedPasswordsError);
    }
  });

  it('times out even a fetch that ignores its abort signal', async () => {
    vi.useFakeTimers();
    let called!: () => void;
    const fetchCalled = new Promise<void>((resolve) => (called = resolve));
    const deaf = () => {
      called();
      return new Promise<Response>(() => {});
    };
    const outcome = haveIBeenPwnedChecker({ fetch: deaf, timeoutMs: 2000, failOpen: false })(password).catch((error: unknown) => error);
    await fetchCalled;
    await vi.advanceTimersByTimeAsync(2000);
    expect(await outcome).toBeInstanceOf(PwnedPasswordsError);
  });

  it('refuses a timeout that is not a positive integer at construction', () => {
    expect(() => haveIBeenPwnedChecker({ timeoutMs: 0 })).toThrow(TypeError);
    expect(() => haveIBeenPwnedChecker({ timeoutMs: 1.5 })).toThrow(TypeError);
  });
});
