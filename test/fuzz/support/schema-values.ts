import fc from 'fast-check';
import { hostileString } from './hostile-values.js';
import type { JsonSchema } from './operations.js';
import { choose, cursorValue, emailValue, listValue, passwordValue, tokenValue, urlValue, userIdRef, usernameValue, type Mode } from './world-values.js';

/**
 * Values shaped like a schema says (types, enums, lengths, required fields), with the values
 * themselves chosen by what the field is for: real tokens, ids and emails of seeded users,
 * the seeded password, plausible text; in `hostile` mode also hostile text of every kind.
 * A plausible request mostly gets past validation into the services.
 */
export function valueOf(schema: JsonSchema, mode: Mode, name = ''): fc.Arbitrary<unknown> {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((variant) => valueOf(variant, mode, name)));
  if (Array.isArray(schema.type)) return fc.oneof(...(schema.type as string[]).map((type) => valueOf({ ...schema, type }, mode, name)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'object':
      return objectOf(schema, mode);
    case 'array':
      return fc.array(valueOf(schema.items ?? {}, mode, name), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 5, 5) });
    case 'integer':
    case 'number':
      return fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 1_000 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'string':
      return stringFor(schema, mode, name);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(schema: JsonSchema, mode: Mode): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  if (schema.maxProperties === 0 || Object.keys(properties).length === 0) return fc.constant({});
  const shape = Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, valueOf(property, mode, key)]));
  return fc.record(shape, { requiredKeys: (schema.required ?? []) as string[] });
}

const instant = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

function stringFor(schema: JsonSchema, mode: Mode, name: string): fc.Arbitrary<unknown> {
  const description = schema.description ?? '';
  if (/password|secret/i.test(name)) return passwordValue(name, mode);
  if (/^(token|refreshToken|refresh_token)$/.test(name)) return tokenValue(name, mode);
  if (schema.format === 'email' || /email/i.test(name) || /email address/i.test(description)) return emailValue(mode);
  if (name === 'username') return usernameValue(mode);
  if (/Url$/.test(name)) return urlValue(mode);
  if (name === 'id' || name === 'ids' || name === 'actor' || name === 'target' || schema.format === 'uuid') {
    return choose<unknown>(mode, [{ weight: 4, arbitrary: userIdRef }, { weight: 1, arbitrary: fc.uuid() }], [{ weight: 2, arbitrary: hostileString }]);
  }
  if (name === 'cursor') return cursorValue(mode);
  if (name === 'grant_type') {
    return choose(mode, [{ weight: 1, arbitrary: fc.constantFrom('password', 'refresh_token') }], [{ weight: 1, arbitrary: fc.constantFrom('client_credentials', 'authorization_code', 'PASSWORD', '', 'password ') }]);
  }
  if (name === 'q') {
    return choose(mode, [{ weight: 1, arbitrary: fc.constantFrom('fuzz', 'example.com', 'target', 'ADA', 'admin') }], [{ weight: 1, arbitrary: fc.constantFrom('%', '_', '\\', '%_%', 'a\u0000b', '   x  ') }, { weight: 1, arbitrary: hostileString }]);
  }
  const list = listValue(description, mode);
  if (list) return list;
  if (schema.format === 'date-time') return instant.map((date) => date.toISOString());
  if (schema.format === 'date') return instant.map((date) => date.toISOString().slice(0, 10));
  const range = /(\d+)–(\d+)/.exec(description);
  if (schema.pattern && range) return choose(mode, [{ weight: 1, arbitrary: fc.integer({ min: Number(range[1]), max: Number(range[2]) }).map(String) }], [{ weight: 1, arbitrary: fc.stringMatching(new RegExp(schema.pattern)) }]);
  if (schema.pattern) return choose(mode, [{ weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }).map(String) }], [{ weight: 1, arbitrary: fc.stringMatching(new RegExp(schema.pattern)) }]);
  if (/date|ISO 8601/i.test(description)) {
    return choose(
      mode,
      [{ weight: 3, arbitrary: instant.map((date) => date.toISOString()) }, { weight: 1, arbitrary: instant.map((date) => date.toISOString().slice(0, 10)) }],
      [{ weight: 2, arbitrary: fc.constantFrom('2026-02-30', '+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00Z', '2026-11-24T12:00:00+14:00', 'yesterday', '1e3') }],
    );
  }
  const maxLength = Math.min(schema.maxLength ?? 40, 40);
  return choose(mode, [{ weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: Math.min(schema.minLength ?? 0, maxLength), maxLength }) }], [{ weight: 1, arbitrary: hostileString }]);
}
