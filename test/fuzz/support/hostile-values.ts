import fc from 'fast-check';

/**
 * Strings that have broken text handling somewhere: unpaired surrogates, bidi overrides,
 * zero-width and invisible characters, NUL and control characters, emoji sequences, combining
 * marks, homoglyphs and compatibility forms that NFKC changes (some expand: `ﷺ` is 18
 * characters after NFKC), case mappings that change length, injection classics, and names
 * that mean something to JavaScript objects.
 */
export const edgeStrings: readonly string[] = [
  '',
  ' ',
  '\uD800',
  '\uDFFF',
  'a\uD83D',
  '\uDE00b',
  '\u202E',
  '\u202Egnp.exe',
  '\u200F\u200E\u2066\u2069',
  '\u200B',
  '\u200D',
  '\uFEFF',
  '\u00AD',
  '\u2060',
  '\u0000',
  'a\u0000b',
  '\u0001\u001F\u007F',
  '\r\n',
  '\u2028\u2029',
  '\u0085',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '🇺🇳',
  'e\u0301',
  'Z\u0334\u0321\u0359\u034E\u0343a\u0338l\u0337g\u0335o\u0336',
  'аdmin',
  'ɑdmin',
  'ａｄｍｉｎ',
  'ADMIN',
  'Admin\u200B',
  'ﷺ',
  'ﷺﷺﷺﷺﷺﷺﷺﷺﷺﷺ',
  '㍿',
  'ﬃ',
  'İ',
  'ß',
  'ǅ',
  '\u00A0\u2007\u202F\u3000',
  '%00',
  '%ZZ',
  '%2e%2e%2f',
  '../../etc/passwd',
  '..\\..\\windows',
  "' OR '1'='1' --",
  '"; DROP TABLE tessera_users; --',
  '\\',
  '%_\\%',
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  '${jndi:ldap://127.0.0.1/a}',
  '=HYPERLINK("http://127.0.0.1")',
  'javascript:alert(1)',
  'data:text/html,<b>x</b>',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  'true',
  '[object Object]',
  '1e309',
  '-0',
  '0x10',
  '9007199254740993',
];

/** A string somewhere between ordinary and hostile. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...edgeStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
  {
    // An edge case inside ordinary text, so that it also passes minimum lengths.
    weight: 4,
    arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom(...edgeStrings), fc.string({ minLength: 1, maxLength: 12 })).map(([before, edge, after]) => `${before}${edge}${after}`),
  },
);

/** The characters most likely to break something when they turn up inside ordinary text (NUL above all: PostgreSQL refuses it in text). */
export const dangerousInsides = ['\u0000', '\u0000', '\u0000\u0000', '\uD800', '\uDC00', '\u202E', '\u200B', '\uFEFF', '\r\n', '\u0085', 'ﷺ', '%00', '\\', "'", '"'];

/** A value of `plausible` with one dangerous character inside it when it is a string. */
export function withDangerInside(plausible: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(plausible, fc.constantFrom(...dangerousInsides), fc.nat()).map(([value, inside, at]) => {
    if (typeof value !== 'string') return value;
    const position = at % (value.length + 1);
    return `${value.slice(0, position)}${inside}${value.slice(position)}`;
  });
}

/** A string far over any field's limit (up to just past the 64 KiB body cap once encoded). */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(257, 501, 1_025, 4_097, 10_000, 40_000, 70_000), fc.constantFrom('a', 'é', '😀', '\u0000', 'ﷺ', ' '))
  .map(([length, unit]) => unit.repeat(length));

/** An array or object nested around the handler's 32-level limit. */
export const deepValue: fc.Arbitrary<unknown> = fc.tuple(fc.integer({ min: 8, max: 40 }), fc.boolean()).map(([depth, isArray]) => {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = isArray ? [value] : { a: value };
  return value;
});

/** An object with keys that pollute prototypes when merged naively. */
export const pollutingObject: fc.Arbitrary<Record<string, unknown>> = fc
  .constantFrom('__proto__', 'constructor', 'prototype')
  .map((key) => withOwnKey({}, key, key === 'constructor' ? { prototype: { role: 'ADMIN', isAdmin: true } } : { role: 'ADMIN', isAdmin: true }));

/** Any value of a type a field does not expect, including hostile strings and shapes. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(true, false, null, 0, -1, 1e21, Number.MAX_SAFE_INTEGER + 2),
  fc.constantFrom('1', '0', 'true', 'false', '1e309', '-1', '[]', '{}', 'null'),
  fc.constant([]),
  fc.array(hostileString, { minLength: 1, maxLength: 3 }),
  fc.constant({}),
  fc.constant({ $gt: '' }),
  pollutingObject,
  hostileString,
  hugeString,
  deepValue,
);

/** A copy of an object with one more own key, `__proto__` included (as JSON.parse would make it). */
export function withOwnKey(object: object, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...object } as Record<string, unknown>;
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}
