import fc from 'fast-check';
import { hostileString, hugeString, withDangerInside } from './hostile-values.js';
import { mutate, mutation, type Mutation } from './mutations.js';
import type { Operation } from './operations.js';
import type { FuzzBody, FuzzRequest } from './request-arbitrary.js';
import { valueOf } from './schema-values.js';
import { bearerRef, forgedRef } from './world-values.js';

/**
 * One thing broken in an otherwise plausible request, so that the rest of it still gets past
 * the checks before the broken part: a method, a path parameter, a query value, a header, a
 * token, a body field, the body's encoding or content type.
 */
export type RequestChange =
  | { readonly kind: 'method'; readonly method: string }
  | { readonly kind: 'path-parameter'; readonly segment: string }
  | { readonly kind: 'path-tail'; readonly tail: string }
  | { readonly kind: 'query-value'; readonly name: string; readonly value: unknown }
  | { readonly kind: 'query-extra'; readonly pairs: FuzzRequest['query'] }
  | { readonly kind: 'query-repeat' }
  | { readonly kind: 'authorization'; readonly authorization: FuzzRequest['authorization'] }
  | { readonly kind: 'headers'; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'body-field'; readonly mutation: Mutation }
  | { readonly kind: 'body-values'; readonly value: unknown }
  | { readonly kind: 'body'; readonly body: FuzzBody }
  | { readonly kind: 'content-type'; readonly contentType: string | null }
  | { readonly kind: 're-encode'; readonly as: 'json' | 'form' };

/** Methods a Node HTTP server parses (an unknown one never reaches any framework). */
export const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'LOCK', 'MKCOL', 'SEARCH', 'REPORT', 'PURGE'];

const jsonTypes = ['application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset=UTF-8', 'application/vnd.api+json', 'application/merge-patch+json'];
const formTypes = ['application/x-www-form-urlencoded; charset=utf-8', 'Application/X-WWW-Form-Urlencoded'];
const oddTypes = [
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16le',
  'application/json; charset=iso-8859-1',
  'application/json;;;',
  'application/json, text/plain',
  'application/jsonp',
  'application/x-www-form-urlencoded+json',
  'json',
  '*/*',
  '',
  ';',
  'application/octet-stream',
];

const hostileSegment = fc.oneof(
  fc.constantFrom('not-a-uuid', '%00', '..', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '%2F', '%5C', '%ZZ', '%', '%E2%80%AE', '%F0%9F%92%A9', '%ED%A0%80', 'a'.repeat(65), '0'.repeat(2000), '00000000-0000-0000-0000-000000000000', '018F0000-0000-7000-8000-000000000000', '%20', '+', 'null', 'me', 'export', 'count', 'bulk'),
  hostileString.map((text) => encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '')) || 'x'),
);

const authorizationHeader: fc.Arbitrary<FuzzRequest['authorization']> = fc.oneof(
  { weight: 3, arbitrary: forgedRef.map((ref) => ['Bearer ', ref, ''] as const) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom('bearer ', 'BEARER ', 'Bearer  ', 'Bearer\t', 'Basic ', 'Token ', '', 'Bearer "'), bearerRef, fc.constantFrom('', ' extra', '"', '=', ',Bearer x', '.x')),
  },
  { weight: 2, arbitrary: fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c', `Bearer ${'A'.repeat(5000)}`, 'Bearer e30.e30.', 'Bearer ..', 'Bearer é').map((text) => [text, '', ''] as const) },
  { weight: 2, arbitrary: fc.constant(null) },
);

/** Header text a Node client can send (printable ASCII). */
const headerText = fc.oneof(hostileString, fc.constantFrom('', 'x'.repeat(4000))).map((text) => text.replace(/[^\x20-\x7e]/g, ''));

const headers = fc.record(
  {
    'x-forwarded-for': fc.oneof(fc.constantFrom('203.0.113.7', '203.0.113.7, 10.0.0.1', '::1', '2001:db8::1, 127.0.0.1', 'unknown', ',,,', '999.999.999.999', '[::1]:80', '1.2.3.4:5678', ''), headerText),
    'user-agent': headerText,
    accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/problem+json', 'image/png'),
    'accept-language': fc.constantFrom('fr', 'es-ES,es;q=0.9', '*', 'xx'),
  },
  { requiredKeys: [] },
);

const rawBody: fc.Arbitrary<FuzzBody> = fc.oneof(
  fc.record({
    kind: fc.constant('text' as const),
    text: fc.oneof(fc.constantFrom('{', '{"a":', "{'a':1}", '{"a":1}}', 'undefined', '{"a":1,}', '[', '"', 'null', '\uFEFF{}', '{"__proto__":{"role":"ADMIN"}}', '{"email":"a@b.c","email":"x"}', 'a=1&a=2', 'a[b]=1', '%ZZ=1', '='), hostileString),
    contentType: fc.constantFrom<string | null>('application/json', 'application/x-www-form-urlencoded', ...oddTypes, null),
  }),
  fc.record({
    kind: fc.constant('bytes' as const),
    bytes: fc.oneof(fc.constant([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), fc.constant([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), fc.constant([0xc0, 0xaf]), fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 64 })),
    contentType: fc.constantFrom<string | null>('application/json', 'application/x-www-form-urlencoded', null),
  }),
  fc.record({ kind: fc.constant('json' as const), value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), hugeString.map((text) => ({ padding: text }))), contentType: fc.constant('application/json') }),
  fc.constant({ kind: 'none' as const }),
);

/** The changes that make sense for an operation, weighted towards its own inputs. */
export function requestChange(operation: Operation): fc.Arbitrary<RequestChange> {
  const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  const changes: Array<{ weight: number; arbitrary: fc.Arbitrary<RequestChange> }> = [
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('method' as const), method: fc.constantFrom(...methods) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('path-tail' as const), tail: fc.constantFrom('/', '//', '/..', '?', '/x', '%00') }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('query-extra' as const),
        pairs: fc.array(
          fc.oneof(
            fc.tuple(fc.constantFrom('__proto__', 'constructor', 'admin', 'debug', 'role', 'token', 'limit', 'q', 'sort', ''), fc.oneof(hostileString, fc.constantFrom('1', 'true', 'x'.repeat(3000))), fc.constant(true)),
            fc.tuple(fc.constantFrom('%ZZ', '%00', 'a%20b', '%E2%80%AE', 'q[]', 'q[$ne]', '&', '=', '+'), fc.constantFrom('%ZZ', '%', '%00', '+', '==', '%C0%AF', 'a&b', ''), fc.constant(false)),
          ),
          { minLength: 1, maxLength: 2 },
        ),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('authorization' as const), authorization: authorizationHeader }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('headers' as const), headers }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('body' as const), body: rawBody }) },
  ];
  if (operation.path.includes('{')) changes.push({ weight: 3, arbitrary: fc.record({ kind: fc.constant('path-parameter' as const), segment: hostileSegment }) });
  if (queryParameters.length > 0) {
    const queryValue = fc.oneof(
      ...queryParameters.map((parameter) => {
        const schema = { ...parameter.schema, description: parameter.description ?? parameter.schema.description ?? '' };
        const value = fc.oneof(valueOf(schema, 'hostile', parameter.name), hostileString, withDangerInside(valueOf(schema, 'plausible', parameter.name)));
        // Free text (no enum, pattern or format) is where hostile text gets furthest.
        const isFreeText = schema.type === 'string' && !schema.enum && !schema.pattern && !schema.format;
        return { weight: isFreeText ? 3 : 1, arbitrary: fc.record({ kind: fc.constant('query-value' as const), name: fc.constant(parameter.name), value }) };
      }),
    );
    changes.push({ weight: 6, arbitrary: queryValue }, { weight: 1, arbitrary: fc.constant({ kind: 'query-repeat' as const }) });
  }
  if (operation.body) {
    changes.push(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('body-field' as const), mutation }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('body-values' as const), value: valueOf(operation.body.schema, 'hostile') }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('content-type' as const), contentType: fc.constantFrom<string | null>(...jsonTypes, ...formTypes, ...oddTypes, null) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('re-encode' as const), as: fc.constantFrom('json' as const, 'form' as const) }) },
    );
  }
  return fc.oneof(...changes);
}

/** One change mostly, so the rest of the request stays valid; sometimes two or three. */
export function requestChanges(operation: Operation): fc.Arbitrary<RequestChange[]> {
  const change = requestChange(operation);
  return fc.oneof({ weight: 7, arbitrary: fc.tuple(change) }, { weight: 2, arbitrary: fc.tuple(change, change) }, { weight: 1, arbitrary: fc.tuple(change, change, change) });
}

/** The request with the changes applied, in order. */
export function applyChanges(request: FuzzRequest, changes: readonly RequestChange[]): FuzzRequest {
  return changes.reduce(applyChange, request);
}

function applyChange(request: FuzzRequest, change: RequestChange): FuzzRequest {
  const { body } = request;
  switch (change.kind) {
    case 'method':
      return { ...request, method: change.method };
    case 'path-parameter':
      // Parameters are the parts that are not literal path text (which starts with `/`).
      return { ...request, path: request.path.map((part) => (typeof part === 'string' && part.startsWith('/') ? part : change.segment)) };
    case 'path-tail':
      return { ...request, path: [...request.path, change.tail] };
    case 'query-value':
      return { ...request, query: [...request.query.filter(([key]) => key !== change.name), [change.name, change.value, true]] };
    case 'query-extra':
      return { ...request, query: [...request.query, ...change.pairs] };
    case 'query-repeat':
      return { ...request, query: [...request.query, ...request.query.slice(0, 1)] };
    case 'authorization':
      return { ...request, authorization: change.authorization };
    case 'headers':
      return { ...request, headers: { ...request.headers, ...change.headers } };
    case 'body':
      return { ...request, body: change.body };
    case 'body-field':
      return body.kind === 'json' || body.kind === 'form' ? { ...request, body: { ...body, value: mutate(body.value, [change.mutation]) } } : request;
    case 'body-values':
      return body.kind === 'json' || body.kind === 'form' ? { ...request, body: { ...body, value: change.value } } : request;
    case 'content-type':
      return body.kind === 'none' ? request : { ...request, body: { ...body, contentType: change.contentType } };
    case 're-encode':
      return body.kind === 'json' || body.kind === 'form' ? { ...request, body: { ...body, kind: change.as } } : request;
  }
}
