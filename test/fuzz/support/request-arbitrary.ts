import fc from 'fast-check';
import { WorldRef } from './fuzz-world.js';
import { edgeStrings, hostileString } from './hostile-values.js';
import type { Operation } from './operations.js';
import { applyChanges, methods, requestChanges } from './request-changes.js';
import { valueOf } from './schema-values.js';
import { bearerRef, userIdRef } from './world-values.js';

/** A generated request, with references to the world left symbolic until it is sent. */
export interface FuzzRequest {
  /** The operation it was generated from (`*` for a random route). */
  readonly from: string;
  readonly method: string;
  /** Under `/auth`: literal (already encoded) parts and references (encoded when sent). */
  readonly path: ReadonlyArray<string | WorldRef>;
  /** Query pairs; `encode: false` sends the text as it is (percent-encoding games). */
  readonly query: ReadonlyArray<readonly [key: string, value: unknown, encode: boolean]>;
  /** `Authorization`: prefix, token, suffix. */
  readonly authorization: readonly [string, string | WorldRef, string] | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: FuzzBody;
}

/** How the body goes out, and with which content type (`null`: none sent). */
export type FuzzBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'json'; readonly value: unknown; readonly contentType: string | null }
  | { readonly kind: 'form'; readonly value: unknown; readonly contentType: string | null }
  | { readonly kind: 'text'; readonly text: string; readonly contentType: string | null }
  | { readonly kind: 'bytes'; readonly bytes: readonly number[]; readonly contentType: string | null };

/**
 * A plausible body for an operation, in a format the operation takes: the schema's shape, or
 * the documented example's fields with values of their own (so that fields which only make
 * sense together, like an OAuth grant's, come together).
 */
function plausibleBody(operation: Operation): fc.Arbitrary<FuzzBody> {
  if (!operation.body) return fc.constant({ kind: 'none' as const });
  const { schema, example, mediaTypes } = operation.body;
  const shaped = valueOf(schema, 'plausible');
  const properties = schema.properties ?? {};
  const value =
    typeof example === 'object' && example !== null && schema.properties
      ? fc.oneof(shaped, fc.record(Object.fromEntries(Object.keys(example).map((key) => [key, properties[key] ? valueOf(properties[key], 'plausible', key) : fc.constant((example as Record<string, unknown>)[key])]))))
      : shaped;
  const takesJson = mediaTypes.some((type) => type.includes('json'));
  const takesForm = mediaTypes.some((type) => type.includes('form'));
  return fc.tuple(value, fc.boolean()).map(([body, preferForm]): FuzzBody => {
    // A form carries flat fields only: a nested value goes as JSON where the operation takes it.
    const isFlat = typeof body === 'object' && body !== null && Object.values(body).every((field) => typeof field !== 'object' || field === null || field instanceof WorldRef);
    const asForm = takesForm && (!takesJson || (preferForm && isFlat));
    return asForm ? { kind: 'form', value: body, contentType: 'application/x-www-form-urlencoded' } : { kind: 'json', value: body, contentType: 'application/json' };
  });
}

/** Query pairs for an operation: a few of its parameters, well-formed. */
function plausibleQuery(operation: Operation): fc.Arbitrary<FuzzRequest['query']> {
  const parameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  if (parameters.length === 0) return fc.constant([]);
  const pairFor = (parameter: (typeof parameters)[number]) =>
    valueOf({ ...parameter.schema, description: parameter.description ?? parameter.schema.description ?? '' }, 'plausible', parameter.name).map((value) => [parameter.name, value, true] as const);
  const required = parameters.some((parameter) => parameter.required) ? 1 : 0;
  return fc.subarray(parameters, { minLength: required, maxLength: Math.min(parameters.length, Math.max(required, 3)) }).chain((chosen) => fc.tuple(...chosen.map(pairFor)));
}

/** A request meant to reach the service: the right method, a valid token, well-shaped input. */
function plausibleRequest(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const segments = operation.path.split(/(\{\w+\})/).filter(Boolean);
  const idParameter = fc.oneof({ weight: 8, arbitrary: userIdRef }, { weight: 1, arbitrary: fc.uuid() });
  return fc.record({
    from: fc.constant(operation.operationId),
    method: fc.constant(operation.method),
    path: fc.tuple(...segments.map((segment) => (/^\{\w+\}$/.test(segment) ? idParameter : fc.constant(segment)))),
    query: plausibleQuery(operation),
    authorization: operation.isBearer ? bearerRef.map((ref) => ['Bearer ', ref, ''] as const) : fc.constant(null),
    headers: fc.constant({}),
    body: plausibleBody(operation),
  });
}

/** The same request with one to three things broken (see `request-changes.ts`). */
function hostileRequest(operation: Operation): fc.Arbitrary<FuzzRequest> {
  return fc.tuple(plausibleRequest(operation), requestChanges(operation)).map(([request, changes]) => applyChanges(request, changes));
}

const encodedHostile = hostileString.map((text) => encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '')));

/** A request to no particular route: odd paths and methods under the mount point. */
const strayRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  from: fc.constant('*'),
  method: fc.constantFrom(...methods),
  path: fc.array(fc.oneof(fc.constantFrom('/users', '/me', '/verify-email', '/token', '/health', '/', '/..', '/.', '/%2e%2e', '/%2F', '/LOGIN', '/openapi.yaml', '/users/count/x'), encodedHostile.map((text) => `/${text}`)), { maxLength: 4 }),
  query: fc.array(fc.tuple(fc.constantFrom(...edgeStrings.slice(0, 12)), hostileString, fc.constant(true)), { maxLength: 2 }),
  authorization: fc.oneof(fc.constant(null), bearerRef.map((ref) => ['Bearer ', ref, ''] as const)),
  headers: fc.constant({}),
  body: fc.constant({ kind: 'none' as const }),
});

/**
 * Requests for every operation of the document: half plausible, half with one to three things
 * broken, and a few to no route at all. An operation that takes no input at all gets a third
 * of the weight: there is less to vary.
 */
export function requestArbitrary(operations: readonly Operation[]): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    ...operations.flatMap((operation) => {
      const weight = operation.body || operation.parameters.length > 0 ? 3 : 1;
      return [
        { weight, arbitrary: plausibleRequest(operation) },
        { weight, arbitrary: hostileRequest(operation) },
      ];
    }),
    { weight: 3, arbitrary: strayRequest },
  );
}
