import fc from 'fast-check';
import { WorldRef } from './fuzz-world.js';
import { dangerousInsides, hostileString, pollutingObject, withOwnKey, wrongValue } from './hostile-values.js';

/** One way to break a valid-shaped body. `at` picks the place among all of the body's places. */
export type Mutation =
  | { readonly kind: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'add-key'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'wrap-in-array'; readonly at: number }
  | { readonly kind: 'as-string'; readonly at: number }
  | { readonly kind: 'inject'; readonly at: number; readonly inside: string; readonly position: number }
  | { readonly kind: 'whole-body'; readonly value: unknown };

const at = fc.nat({ max: 50 });

/** Mutations: wrong types, huge and hostile values, missing and unknown fields, polluting keys. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('replace' as const), at, value: wrongValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('add-key' as const),
      at,
      key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'role', 'status', 'emailVerified', 'isAdmin', 'id', 'passwordHash', 'proStatus', 'custom', ''), hostileString),
      value: fc.oneof(wrongValue, pollutingObject, fc.constantFrom('ADMIN', true, 'active')),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wrap-in-array' as const), at }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('as-string' as const), at }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('inject' as const), at, inside: fc.constantFrom(...dangerousInsides), position: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('whole-body' as const), value: wrongValue }) },
);

/** A body with the mutations applied, in order. */
export function mutate(body: unknown, mutations: readonly Mutation[]): unknown {
  return mutations.reduce(applyOne, body);
}

function applyOne(body: unknown, change: Mutation): unknown {
  if (change.kind === 'whole-body') return change.value;
  const places = placesOf(body);
  const place = places[change.at % places.length]!;
  return rewrite(body, place, (parent, key) => {
    const value = key === null ? parent : (parent as Record<string, unknown>)[key];
    switch (change.kind) {
      case 'replace':
        return { set: change.value };
      case 'delete':
        return { remove: true };
      case 'add-key':
        return { set: isPlainObject(value) ? withOwnKey(value, change.key, change.value) : value };
      case 'wrap-in-array':
        return { set: [value] };
      case 'as-string':
        return { set: typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined' };
      case 'inject': {
        if (typeof value !== 'string') return { set: value };
        const position = change.position % (value.length + 1);
        return { set: `${value.slice(0, position)}${change.inside}${value.slice(position)}` };
      }
    }
  });
}

type Place = readonly string[];

/** Every place in a body: the root and each (nested) property. */
function placesOf(value: unknown, prefix: Place = []): Place[] {
  const places: Place[] = [prefix];
  if (isPlainObject(value)) for (const key of Object.keys(value)) places.push(...placesOf(value[key], [...prefix, key]));
  return places;
}

type Edit = { readonly set: unknown } | { readonly remove: true };

function rewrite(value: unknown, place: Place, edit: (parent: unknown, key: string | null) => Edit): unknown {
  if (place.length === 0) {
    const result = edit(value, null);
    return 'set' in result ? result.set : undefined;
  }
  if (!isPlainObject(value)) return value;
  const [key, ...rest] = place as [string, ...string[]];
  const copy: Record<string, unknown> = {};
  for (const existing of Object.keys(value)) {
    if (existing !== key) {
      Object.defineProperty(copy, existing, { value: value[existing], enumerable: true, writable: true, configurable: true });
      continue;
    }
    const result = rest.length === 0 ? edit(value, key) : { set: rewrite(value[key], rest, edit) };
    if ('set' in result) Object.defineProperty(copy, key, { value: result.set, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof WorldRef);
}
