import { TesseraError } from '../errors.js';
import type { AnyRoute, HttpMethod } from './route.js';

/** The outcome of matching a request against the route table. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: AnyRoute; readonly params: Record<string, string> }
  | { readonly kind: 'method_not_allowed'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'not_found' };

interface CompiledPath {
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly routes: AnyRoute[];
}

/** Matches method and path against the route table. Paths are compared segment by segment, literally. */
export class Router {
  readonly #paths: CompiledPath[] = [];

  constructor(routes: readonly AnyRoute[]) {
    for (const route of routes) {
      let compiled = this.#paths.find((entry) => entry.routes[0]!.path === route.path);
      if (!compiled) {
        const names: string[] = [];
        const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
          names.push(name);
          return '([^/]+)';
        });
        compiled = { pattern: new RegExp(`^${source}$`), names, routes: [] };
        this.#paths.push(compiled);
      }
      if (compiled.routes.some((existing) => existing.method === route.method)) throw new Error(`Duplicate route ${route.method} ${route.path}`);
      compiled.routes.push(route);
    }
    // Literal paths win over parameters: `/users/export` is not `/users/{id}`.
    this.#paths.sort((a, b) => a.names.length - b.names.length);
  }

  /** @throws TesseraError `malformed_request` for a path parameter that is not valid percent-encoding. */
  match(method: string, path: string): RouteMatch {
    for (const { pattern, names, routes } of this.#paths) {
      const found = pattern.exec(path);
      if (!found) continue;
      const route = routes.find((candidate) => candidate.method === method);
      if (!route) return { kind: 'method_not_allowed', allowed: routes.map((candidate) => candidate.method) };
      const params: Record<string, string> = {};
      for (const [index, name] of names.entries()) {
        try {
          params[name] = decodeURIComponent(found[index + 1]!);
        } catch {
          throw new TesseraError('malformed_request', 'The path is not valid percent-encoding.');
        }
      }
      return { kind: 'found', route, params };
    }
    return { kind: 'not_found' };
  }
}
