import { WorldRef, type FuzzWorld } from './fuzz-world.js';
import type { FuzzRequest } from './request-arbitrary.js';

/** A generated request made concrete for one send. */
export interface ConcreteRequest {
  readonly method: string;
  /** Absolute path with query, as the mount's `fetch` takes it. */
  readonly target: string;
  readonly init: RequestInit;
  /** Credentials the request carried: no response may contain one. */
  readonly secrets: readonly string[];
  /** The world references used (their slots are checked after a successful change). */
  readonly refs: readonly WorldRef[];
}

/** Fills in the world's values, encodes query and body, and lists the secrets sent. */
export function materialize(request: FuzzRequest, world: FuzzWorld): ConcreteRequest {
  const refs: WorldRef[] = [];
  const resolve = (value: unknown): unknown => {
    if (value instanceof WorldRef) {
      refs.push(value);
      return world.resolve(value);
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value === 'object' && value !== null) {
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        // defineProperty: an own `__proto__` key stays a key (as JSON.parse would make it).
        Object.defineProperty(copy, key, { value: resolve((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
      }
      return copy;
    }
    return value;
  };
  const text = (value: unknown): string => {
    const resolved = resolve(value);
    return typeof resolved === 'string' ? resolved : (JSON.stringify(resolved) ?? String(resolved));
  };

  const path = `/auth${request.path.map((part) => (part instanceof WorldRef ? encodeURIComponent(text(part)) : part)).join('')}`;
  const query = request.query.map(([key, value, encode]) => (encode ? `${encodeURIComponent(withoutLoneSurrogates(key))}=${encodeURIComponent(withoutLoneSurrogates(text(value)))}` : `${key}=${text(value)}`)).join('&');
  const headers: Record<string, string> = { ...request.headers };
  if (request.authorization) headers.authorization = request.authorization.map(text).join('');

  let body: string | Uint8Array | undefined;
  const { body: spec } = request;
  if (spec.kind !== 'none') {
    if (spec.contentType !== null) headers['content-type'] = spec.contentType;
    if (spec.kind === 'json') body = JSON.stringify(resolve(spec.value)) ?? '';
    if (spec.kind === 'form') body = formOf(resolve(spec.value));
    if (spec.kind === 'text') body = spec.text;
    if (spec.kind === 'bytes') body = new Uint8Array(spec.bytes);
  }
  // A Request cannot carry a body on GET or HEAD.
  const method = request.method;
  if (method === 'GET' || method === 'HEAD') {
    body = undefined;
    delete headers['content-type'];
  }

  const sent = [path, query, headers.authorization ?? '', typeof body === 'string' ? body : ''].join('\n');
  const canaries = sent.match(/canary-[a-z_]+-[a-z0-9]+/gi) ?? [];
  const secrets = [...new Set([...refs.filter((ref) => ref.isSecret).map((ref) => world.resolve(ref)), ...canaries])].filter((secret) => secret.length >= 8);
  return { method, target: query ? `${path}?${query}` : path, init: { method, headers, ...(body !== undefined && { body }) }, secrets, refs };
}

/** A form body from a shaped value: top-level fields; arrays repeat the field, objects go as JSON. */
function formOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return encodeURIComponent(withoutLoneSurrogates(String(value)));
  const form = new URLSearchParams();
  const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.keys(value).map((key) => [key, (value as Record<string, unknown>)[key]] as const);
  for (const [key, field] of entries) {
    for (const item of Array.isArray(field) ? field : [field]) form.append(key, typeof item === 'string' ? item : item === null ? '' : (JSON.stringify(item) ?? ''));
  }
  return form.toString();
}

/** encodeURIComponent throws on an unpaired surrogate: a client would send U+FFFD. */
function withoutLoneSurrogates(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
