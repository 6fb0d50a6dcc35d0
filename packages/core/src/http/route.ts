import type { z } from 'zod';
import type { Authorizer } from '../auth/permissions.js';
import type { TesseraApi } from '../create-tessera.js';
import type { ErrorCode } from '../errors.js';
import type { ResolvedOptions } from '../options.js';
import type { Logger } from '../ports/runtime.js';
import type { RequestMeta } from '../services/service-deps.js';
import type { Principal } from '../tokens/access-token.js';
import type { BodyFormat } from './request-body.js';

/** The HTTP methods of the route table. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One documented response of an operation. */
export interface ResponseSpec {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Media type of the body. @default 'application/json' */
  readonly mediaType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly example?: unknown;
}

/** What a route handler returns; the handler turns it into a `Response`. */
export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What the HTTP layer needs from Tessera. */
export interface HttpDeps {
  readonly api: TesseraApi;
  readonly authorizer: Authorizer<string>;
  readonly options: ResolvedOptions;
  readonly logger: Logger;
  readonly verifyAccessToken: (token: string) => Promise<Principal | null>;
  readonly checkHealth: () => Promise<HealthReport>;
}

/** The answer of the `health` operation. */
export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly checks: Readonly<Record<string, { status: 'ok' | 'failing'; latencyMs?: number }>>;
}

/** Everything a route handler receives, validated. */
export interface RouteContext<Body, Query, Params, Auth extends 'none' | 'bearer'> {
  readonly deps: HttpDeps;
  readonly request: Request;
  readonly url: URL;
  /** The path the handler is mounted at, e.g. `/auth` (links are built under it). */
  readonly basePath: string;
  readonly body: Body;
  readonly query: Query;
  readonly params: Params;
  readonly principal: Auth extends 'bearer' ? Principal : Principal | null;
  readonly meta: RequestMeta;
}

/** One operation of the REST API: how it is matched, validated, documented and handled. */
export interface RouteDefinition<
  BodySchema extends z.ZodType | undefined = z.ZodType | undefined,
  QuerySchema extends z.ZodType | undefined = z.ZodType | undefined,
  ParamsSchema extends z.ZodType | undefined = z.ZodType | undefined,
  Auth extends 'none' | 'bearer' = 'none' | 'bearer',
> {
  /** The stable `operationId` (external tests find routes by it). */
  readonly operationId: string;
  readonly method: HttpMethod;
  /** Path under the mount point, with `{name}` parameters: `/users/{id}`. */
  readonly path: string;
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  readonly auth: Auth;
  readonly body?: BodySchema extends z.ZodType ? { readonly schema: BodySchema; readonly formats: readonly BodyFormat[]; readonly example?: unknown } : undefined;
  readonly query?: QuerySchema;
  readonly params?: ParamsSchema;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** The error codes this operation can answer with (documented in OpenAPI). */
  readonly errors: readonly ErrorCode[];
  /**
   * Renders an error of this operation in a shape of its own (the OAuth token endpoint's RFC
   * 6749 errors), including errors of the handler's validation; `undefined` leaves it to the
   * problem-details default.
   */
  readonly renderError?: (error: unknown) => RouteResult | undefined;
  handle(
    context: RouteContext<
      BodySchema extends z.ZodType ? z.output<BodySchema> : undefined,
      QuerySchema extends z.ZodType ? z.output<QuerySchema> : Record<string, never>,
      ParamsSchema extends z.ZodType ? z.output<ParamsSchema> : Record<string, never>,
      Auth
    >,
  ): Promise<RouteResult>;
}

/** A route of any shape, as the router and the OpenAPI generator see it. */
export type AnyRoute = RouteDefinition<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, 'none' | 'bearer'>;

/** Declares a route with its handler typed from its schemas. */
export function defineRoute<
  BodySchema extends z.ZodType | undefined = undefined,
  QuerySchema extends z.ZodType | undefined = undefined,
  ParamsSchema extends z.ZodType | undefined = undefined,
  Auth extends 'none' | 'bearer' = 'none',
>(route: RouteDefinition<BodySchema, QuerySchema, ParamsSchema, Auth>): AnyRoute {
  return route;
}
