import fc from 'fast-check';
import { forgeryKinds } from './forged-tokens.js';
import { actorRoles, actorSlots, targetSlots, WorldRef } from './fuzz-world.js';
import { edgeStrings, hostileString } from './hostile-values.js';

/** Whether a request is meant to get through validation (`plausible`) or to break it (`hostile`). */
export type Mode = 'plausible' | 'hostile';

type Weighted<T> = { readonly weight: number; readonly arbitrary: fc.Arbitrary<T> };

/** The plausible choices, plus the hostile ones when the request is hostile. */
export function choose<T>(mode: Mode, plausible: ReadonlyArray<Weighted<T>>, hostile: ReadonlyArray<Weighted<T>>): fc.Arbitrary<T> {
  return fc.oneof(...plausible, ...(mode === 'hostile' ? hostile : []));
}

const role = fc.constantFrom(...actorRoles);
const slot = (count: number) => fc.nat({ max: count - 1 });

/** A signed-in caller's token (by role and slot). */
export const bearerRef = fc.tuple(role, slot(actorSlots)).map(([r, s]) => new WorldRef('bearer', r, s));

/** A seeded user's id: mostly a target, sometimes a caller (possibly the one sending). */
export const userIdRef: fc.Arbitrary<WorldRef> = fc.oneof(
  { weight: 4, arbitrary: slot(targetSlots).map((s) => new WorldRef('targetId', null, s)) },
  { weight: 1, arbitrary: fc.tuple(role, slot(actorSlots)).map(([r, s]) => new WorldRef('actorId', r, s)) },
);

/** A seeded user's email address. */
export const emailRef: fc.Arbitrary<WorldRef> = fc.oneof(
  slot(targetSlots).map((s) => new WorldRef('targetEmail', null, s)),
  fc.tuple(role, slot(actorSlots)).map(([r, s]) => new WorldRef('actorEmail', r, s)),
);

/** A forged or otherwise wrong access token. */
export const forgedRef = fc.constantFrom(...forgeryKinds).map((kind) => new WorldRef('forged', null, 0, kind));

/**
 * A credential-looking string no response may contain: a marker the echo check looks for,
 * long and varied enough to pass the password policy when the fuzzer means it to.
 */
export const canary = (field: string) => fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 12, maxLength: 24 }).map((tail) => `canary-${field}-${tail}`);

/** What a password field gets: the seeded users' password, canaries, too short, hostile. */
export const passwordValue = (field: string, mode: Mode): fc.Arbitrary<unknown> =>
  choose<unknown>(
    mode,
    [
      { weight: 3, arbitrary: fc.constant(new WorldRef('goodPassword')) },
      { weight: 3, arbitrary: canary(field) },
    ],
    [
      { weight: 1, arbitrary: fc.constantFrom('a', 'password', '12345678', 'correct horse battery stapl') },
      { weight: 2, arbitrary: hostileString },
    ],
  );

/** What a token field gets: real refresh and mailed tokens, access tokens where they do not belong, garbage. */
export const tokenValue = (field: string, mode: Mode): fc.Arbitrary<unknown> =>
  choose<unknown>(
    mode,
    [
      { weight: 3, arbitrary: fc.tuple(role, slot(actorSlots)).map(([r, s]) => new WorldRef('refreshToken', r, s)) },
      { weight: 3, arbitrary: fc.nat({ max: 15 }).map((s) => new WorldRef('mailedToken', null, s)) },
      { weight: 2, arbitrary: canary(field) },
    ],
    [
      { weight: 1, arbitrary: bearerRef },
      { weight: 1, arbitrary: forgedRef },
      { weight: 1, arbitrary: fc.base64String({ maxLength: 80 }) },
      { weight: 2, arbitrary: hostileString },
    ],
  );

/** An email address: seeded ones, fresh plausible ones, internationalised, hostile. */
export const emailValue = (mode: Mode): fc.Arbitrary<unknown> =>
  choose<unknown>(
    mode,
    [
      { weight: 3, arbitrary: emailRef },
      { weight: 3, arbitrary: fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.+_-]{0,15}[a-z0-9]$/), fc.constantFrom('example.com', 'example.org', 'mail.example.net')).map(([local, domain]) => `fuzz.${local}@${domain}`) },
    ],
    [
      { weight: 2, arbitrary: fc.emailAddress() },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom('ada', 'ADA', 'a.b+tag', 'ünï', 'аdmin', '"quoted local"', 'x\u200By', ''), fc.constantFrom('example.com', 'EXAMPLE.COM', 'bücher.example', 'xn--bcher-kva.example', 'example', '127.0.0.1', '[127.0.0.1]', 'exa mple.com', 'example.com.'))
          .map(([local, domain]) => `${local}@${domain}`),
      },
      { weight: 2, arbitrary: hostileString },
    ],
  );

/** A username: plausible, reserved, look-alike, hostile. */
export const usernameValue = (mode: Mode): fc.Arbitrary<unknown> =>
  choose<unknown>(
    mode,
    [{ weight: 3, arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{2,12}([-_][a-z0-9]{1,8})?$/) }],
    [
      { weight: 2, arbitrary: fc.constantFrom('admin', 'Admin', 'аdmin', 'ａｄｍｉｎ', 'root', 'ad\u200Bmin', 'a--b', '_abc', 'abc-', 'ab', 'x'.repeat(31), 'ﷺﷺﷺ', 'İstanbul', 'straße') },
      { weight: 2, arbitrary: hostileString },
    ],
  );

/** A URL for the profile's link fields. */
export const urlValue = (mode: Mode): fc.Arbitrary<unknown> =>
  choose<unknown>(
    mode,
    [
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom('github.com', 'www.linkedin.com', 'linkedin.com', 'example.com'), fc.webPath()).map(([host, path]) => `https://${host}${path}`) },
      { weight: 1, arbitrary: fc.constant(null) },
    ],
    [
      { weight: 1, arbitrary: fc.webUrl() },
      { weight: 1, arbitrary: fc.constantFrom('javascript:alert(1)', 'http://', 'https://github.com/ada', 'ftp://x', '//evil.example', 'https://exa mple.com', `https://example.com/${'a'.repeat(3000)}`) },
      { weight: 2, arbitrary: hostileString },
    ],
  );

const encodeCursor = (cursor: unknown) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

/** A forged cursor shaped like a real one (default sorts, a uuid) around a position value that is not. */
const forgedCursor = fc
  .record({
    s: fc.constantFrom('-createdAt', 'audit'),
    d: fc.constantFrom('after', 'before'),
    v: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '1', '-1', '2026-02-30T00:00:00.000Z', 'a\u0000b', '\u0000', '9'.repeat(500), null) },
      { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()) },
      { weight: 1, arbitrary: hostileString },
    ),
    i: fc.uuid(),
  })
  .map(encodeCursor);

/** A cursor with any part wrong. */
const chaoticCursor = fc
  .record({
    s: fc.constantFrom('-createdAt', 'createdAt', 'email', '-email', 'username', 'lastLoginAt', '-lastLoginAt', 'audit', 'audit-events', 'x'),
    d: fc.constantFrom('after', 'before', 'sideways'),
    v: fc.oneof(fc.constantFrom(null, '', 'ada@example.com'), hostileString, fc.integer()),
    i: fc.oneof(fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'not-a-uuid', '')),
  })
  .map(encodeCursor);

/** A cursor: a real one, a forged one with odd values, garbage. */
export const cursorValue = (mode: Mode): fc.Arbitrary<unknown> =>
  choose<unknown>(
    mode,
    [{ weight: 2, arbitrary: fc.nat({ max: 5 }).map((s) => new WorldRef('cursor', null, s)) }],
    [
      { weight: 4, arbitrary: forgedCursor },
      { weight: 1, arbitrary: chaoticCursor },
      { weight: 1, arbitrary: fc.constantFrom('', 'e30', 'bnVsbA', 'W10', '!!!', '%00', '=') },
      { weight: 1, arbitrary: fc.base64String({ maxLength: 200 }) },
    ],
  );

/** A comma-separated list from a parameter's description ("any of: A, B, C." or "e.g. a.b, c.d."). */
export function listValue(description: string, mode: Mode): fc.Arbitrary<string> | null {
  const values = /(?:any of|e\.g\.) ((?:[\w.-]+, )*[\w.-]+)\.$/.exec(description.trim())?.[1]?.split(',').map((value) => value.trim());
  if (!values) return null;
  const plausible = fc.subarray(values, { minLength: 1 }).map((chosen) => chosen.join(','));
  if (mode === 'plausible') return plausible;
  return fc.oneof(
    plausible,
    fc
      .tuple(fc.array(fc.oneof(fc.constantFrom(...values), fc.constantFrom(...edgeStrings)), { maxLength: 4 }), fc.constantFrom(',', ', ', ',,'))
      .map(([chosen, separator]) => chosen.join(separator)),
  );
}
