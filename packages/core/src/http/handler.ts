import { z } from 'zod';
import type { Authorizer } from '../auth/permissions.js';
import type { UserRole } from '../auth/roles.js';
import { TesseraError } from '../errors.js';
import type { Principal } from '../tokens/access-token.js';
import { parseInput } from '../validation.js';
import { resolveClientIp } from './client-ip.js';
import { problemResponse, responseSecurityHeaders, toProblem } from './problem.js';
import { readRequestBody } from './request-body.js';
import type { AnyRoute, HttpDeps, RouteResult } from './route.js';
import { Router } from './router.js';

/** What an adapter knows about a request besides the `Request` itself. */
export interface HandlerContext {
  /** The path the routes are mounted under, e.g. `/auth`. @default '' */
  readonly basePath?: string;
  /**
   * The address of the socket the request came in on, as the adapter sees it. The handler
   * believes `X-Forwarded-For` only from the proxies in `http.trustedProxies`.
   */
  readonly clientIp?: string | null;
}

/** Tessera's HTTP API as one function on Web-standard `Request` and `Response`. */
export type TesseraHandler = (request: Request, context?: HandlerContext) => Promise<Response>;

const noQuery = z.strictObject({});
const noParams = z.strictObject({});

/**
 * Builds the handler over a route table: matching, body reading (JSON and forms, capped while
 * streaming), validation of body, query and path with the routes' zod schemas (unknown fields
 * refused), bearer authentication, and errors as RFC 9457 problem details with the status
 * from the one error table. Nothing HTTP-specific lives anywhere else.
 */
export function createHandler(deps: HttpDeps, routes: readonly AnyRoute[]): TesseraHandler {
  const router = new Router(routes);
  const limits = { maxBytes: deps.options.http.maxBodyBytes, maxJsonDepth: deps.options.http.maxJsonDepth };

  const trustedProxies = deps.options.http.trustedProxies;
  // The address limits count against: the socket's, or one told by a trusted proxy.
  const clientIpOf = (request: Request, context: HandlerContext) => resolveClientIp(context.clientIp, request.headers.get('x-forwarded-for'), trustedProxies);

  return async (request, context = {}) => {
    const url = new URL(request.url);
    const basePath = (context.basePath ?? '').replace(/\/+$/, '');
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) || '/' : null;
    const isHead = request.method === 'HEAD';
    let matched: AnyRoute | undefined;
    try {
      const match = path === null ? ({ kind: 'not_found' } as const) : router.match(isHead ? 'GET' : request.method, path);
      if (match.kind === 'not_found') throw new TesseraError('route_not_found');
      if (match.kind === 'method_not_allowed') {
        return withoutContentOnHead(problemResponse(new TesseraError('method_not_allowed'), url.pathname, { allow: match.allowed.join(', ') }), isHead);
      }
      const { route } = match;
      matched = route;
      const principal = route.auth === 'bearer' ? await requirePrincipal(deps, request.headers.get('authorization')) : null;
      const query = parseInput(route.query ?? noQuery, queryObject(url));
      const params = parseInput(route.params ?? noParams, match.params);
      const body = await bodyOf(request, route, limits);
      const result = await route.handle({
        deps,
        request,
        url,
        basePath,
        body,
        query,
        params,
        principal: principal,
        meta: { ipAddress: clientIpOf(request, context), userAgent: request.headers.get('user-agent')?.slice(0, 512) ?? null },
      });
      return toResponse(result, isHead);
    } catch (error) {
      const rendered = matched?.renderError?.(error);
      if (rendered) return toResponse(rendered, isHead);
      const problem = toProblem(error, url.pathname);
      if (problem.status >= 500) {
        deps.logger.error({ err: describe(error), method: request.method, path: url.pathname, code: problem.code }, 'tessera http: request failed');
      }
      return withoutContentOnHead(problemResponse(error, url.pathname), isHead);
    }
  };
}

/** The auth context a guard gives the host app's own routes. */
export interface AuthContext {
  readonly userId: Principal['userId'];
  readonly role: UserRole;
  readonly sessionId: string;
  readonly expiresAt: Date;
  readonly principal: Principal;
  /** The actions the permission table grants this role without a target. */
  readonly permissions: readonly string[];
  /** Whether the permission table allows `action` (on `target`). */
  can(action: string, target?: { id: string; role: UserRole }): boolean;
}

/**
 * Verifies the `Authorization: Bearer …` header value and builds the auth context. `null` for
 * a missing, malformed, invalid or expired token. No database round trip.
 */
export async function authenticate(deps: Pick<HttpDeps, 'authorizer' | 'verifyAccessToken'>, authorization: string | null | undefined): Promise<AuthContext | null> {
  const credentials = bearerCredentials(authorization);
  const principal = credentials === null ? null : await deps.verifyAccessToken(credentials);
  return principal && new PrincipalAuthContext(principal, deps.authorizer);
}

/** One object per request, its methods on the prototype: the guard runs on every request. */
class PrincipalAuthContext implements AuthContext {
  readonly userId: Principal['userId'];
  readonly role: UserRole;
  readonly sessionId: string;
  readonly expiresAt: Date;
  readonly principal: Principal;
  readonly #authorizer: Authorizer<string>;
  #permissions: readonly string[] | undefined;

  constructor(principal: Principal, authorizer: Authorizer<string>) {
    this.userId = principal.userId;
    this.role = principal.role;
    this.sessionId = principal.sessionId;
    this.expiresAt = principal.expiresAt;
    this.principal = principal;
    this.#authorizer = authorizer;
  }

  get permissions(): readonly string[] {
    return (this.#permissions ??= this.#authorizer.actionsFor({ id: this.userId, role: this.role }));
  }

  can(action: string, target?: { id: string; role: UserRole }): boolean {
    return this.#authorizer.can({ id: this.userId, role: this.role }, action, target);
  }

  /** As JSON: the fields and the granted actions (what the plain object of earlier versions gave). */
  toJSON(): Omit<AuthContext, 'can'> {
    const { userId, role, sessionId, expiresAt, principal, permissions } = this;
    return { userId, role, sessionId, expiresAt, principal, permissions };
  }
}

/**
 * The credentials of an `Authorization: Bearer <credentials>` header (scheme case-insensitive),
 * or `null` without that scheme. Not checked further: the token verifier refuses anything that
 * is not a token it issued.
 */
function bearerCredentials(authorization: string | null | undefined): string | null {
  if (!authorization) return null;
  const value = authorization.trim();
  const scheme = bearerScheme.exec(value);
  return scheme === null ? null : value.slice(scheme[0].length);
}

const bearerScheme = /^Bearer +(?=\S)/i;

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or `null`. */
export function bearerToken(authorization: string | null | undefined): string | null {
  const credentials = bearerCredentials(authorization);
  return credentials !== null && b64token.test(credentials) ? credentials : null;
}

/** RFC 6750's `b64token`. */
const b64token = /^[A-Za-z0-9\-._~+/]+=*$/;

async function requirePrincipal(deps: HttpDeps, authorization: string | null): Promise<Principal> {
  const token = bearerCredentials(authorization);
  const principal = token === null ? null : await deps.verifyAccessToken(token);
  if (!principal) throw new TesseraError('unauthenticated', token === null ? 'Send an access token: Authorization: Bearer <token>.' : 'The access token is invalid or has expired.');
  return principal;
}

async function bodyOf(request: Request, route: AnyRoute, limits: { maxBytes: number; maxJsonDepth: number }): Promise<unknown> {
  const read = await readRequestBody(request, route.body?.formats ?? ['json', 'form'], limits);
  if (!route.body) {
    if (read.format !== 'none') throw new TesseraError('malformed_request', 'This operation takes no request body.');
    return undefined;
  }
  return parseInput(route.body.schema, read.format === 'none' ? undefined : read.value);
}

function queryObject(url: URL): Record<string, string> {
  // No prototype: `?__proto__=x` must be a (refused) unknown parameter, not a silent no-op.
  const query = Object.create(null) as Record<string, string>;
  for (const [key, value] of url.searchParams) {
    if (Object.hasOwn(query, key)) throw new TesseraError('malformed_request', `The query parameter "${key}" is repeated.`);
    query[key] = value;
  }
  return query;
}

function toResponse(result: RouteResult, isHead: boolean): Response {
  const headers = new Headers({ ...responseSecurityHeaders, ...result.headers });
  let body: string | ReadableStream<Uint8Array> | null = null;
  if (result.body !== undefined && result.status !== 204) {
    if (typeof result.body === 'string' || result.body instanceof ReadableStream) {
      // Text (a page) or a stream (an export) goes out as it is.
      body = result.body as string | ReadableStream<Uint8Array>;
    } else {
      body = JSON.stringify(result.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
  }
  if (isHead && body instanceof ReadableStream) void body.cancel();
  return new Response(isHead ? null : body, { status: result.status, headers });
}

/** RFC 9110 §9.3.2: the answer to a HEAD has the status and headers of a GET's, and no content. */
function withoutContentOnHead(response: Response, isHead: boolean): Response {
  if (!isHead) return response;
  void response.body?.cancel();
  return new Response(null, { status: response.status, headers: response.headers });
}

function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { value: String(error).slice(0, 300) };
  const cause = error.cause instanceof Error ? { cause: `${error.cause.name}: ${error.cause.message.slice(0, 300)}` } : {};
  return { name: error.name, message: error.message.slice(0, 300), stack: error.stack, ...cause };
}
