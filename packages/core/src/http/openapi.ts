import { z } from 'zod';
import { errorTable, type ErrorCode } from '../errors.js';
import { openApiComponents, problemSchema } from './http-schemas.js';
import { customProfileMarker } from '../schemas/profile.js';
import { problemMediaType, problemType } from './problem.js';
import type { AnyRoute } from './route.js';

/** An OpenAPI 3.1 document (loosely typed: it is data for tools). */
export type OpenApiDocument = Record<string, unknown> & { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> };

/** What describes the API besides the routes. */
export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly serverUrl: string;
  /** The host app's own profile fields (the `profile.custom` option), described where they go. */
  readonly customProfile?: z.ZodObject | undefined;
}

/** Errors any operation can answer with, whatever it does. */
const commonErrors: readonly ErrorCode[] = ['malformed_request', 'unsupported_media_type', 'payload_too_large', 'rate_limited', 'store_unavailable', 'internal_error'];

type JsonSchema = Record<string, unknown>;

/**
 * Builds the OpenAPI 3.1 document from the route table: every path, parameter, body and
 * response comes from the same zod schemas that validate requests; every error response from
 * the one error table. Nothing here is written by hand per operation.
 */
export function buildOpenApiDocument(routes: readonly AnyRoute[], info: OpenApiInfo): OpenApiDocument {
  const components: Record<string, JsonSchema> = {};
  const custom = customProfileSchemas(info.customProfile);
  const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => jsonSchemaOf(schema, io, components, custom);
  const paths: OpenApiDocument['paths'] = {};

  for (const route of routes) {
    const operation: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description && { description: route.description }),
      tags: route.tags,
      security: route.auth === 'bearer' ? [{ bearerAuth: [] }, { oauth2: [] }] : [],
    };
    const parameters = [...parametersOf(route.params, 'path', toSchema), ...parametersOf(route.query, 'query', toSchema)];
    if (parameters.length > 0) operation.parameters = parameters;
    if (route.body) {
      const schema = toSchema(route.body.schema, 'input');
      const mediaTypes = route.body.formats.map((format) => (format === 'json' ? 'application/json' : 'application/x-www-form-urlencoded'));
      operation.requestBody = {
        required: !route.body.schema.safeParse(undefined).success,
        content: Object.fromEntries(mediaTypes.map((mediaType) => [mediaType, { schema, ...(route.body!.example !== undefined && { example: route.body!.example }) }])),
      };
    }
    operation.responses = responsesOf(route, toSchema);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }

  components.Problem = toSchema(problemSchema, 'output');
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: 'Authentication and user management by Tessera. Errors are RFC 9457 problem details with a stable `code`.' },
    servers: [{ url: info.serverUrl }],
    tags: [
      { name: 'Account', description: 'Registration, sign-in, sessions, verification and password recovery.' },
      { name: 'Me', description: 'The caller’s own account.' },
      { name: 'Users', description: 'User management for managers and admins.' },
      { name: 'Audit', description: 'The audit log, for admins.' },
      { name: 'Meta', description: 'Health and this description.' },
    ],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: securitySchemesFor(info.serverUrl),
    },
  };
}

/**
 * The document for any server URL, built once (at the first call, from the routes `routes()`
 * gives then): only `servers` and the OAuth
 * URLs depend on the URL, so every call shares the rest, which must then be treated as read-only
 * (the HTTP route only serializes it). Building takes about 15 ms of CPU; the route answers
 * anyone, so it must not pay that per request.
 */
export function openApiDocuments(routes: () => readonly AnyRoute[], info: Omit<OpenApiInfo, 'serverUrl'>): (serverUrl: string) => OpenApiDocument {
  let built: OpenApiDocument | undefined;
  return (serverUrl) => {
    built ??= buildOpenApiDocument(routes(), { ...info, serverUrl: '' });
    return { ...built, servers: [{ url: serverUrl }], components: { ...(built.components as object), securitySchemes: securitySchemesFor(serverUrl) } };
  };
}

function securitySchemesFor(serverUrl: string): Record<string, unknown> {
  return {
    bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from `login`, `refresh` or `token`.' },
    oauth2: {
      type: 'oauth2',
      description: 'OAuth 2.0 password flow: Swagger UI’s Authorize button signs in with email and password.',
      flows: { password: { tokenUrl: `${serverUrl}/token`, refreshUrl: `${serverUrl}/token`, scopes: {} } },
    },
  };
}

function responsesOf(route: AnyRoute, toSchema: (schema: z.ZodType, io: 'output') => JsonSchema): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const mediaType = spec.mediaType ?? 'application/json';
    responses[status] = {
      description: spec.description,
      ...(spec.headers && { headers: Object.fromEntries(Object.entries(spec.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) }),
      ...(spec.schema && { content: { [mediaType]: { schema: toSchema(spec.schema, 'output') } } }),
      ...(!spec.schema && spec.mediaType && { content: { [spec.mediaType]: { schema: { type: 'string' } } } }),
    };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...route.errors, ...commonErrors])) {
    const { status } = errorTable[code];
    if (responses[status]) continue;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of [...byStatus.entries()].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: codes.map((code) => `\`${code}\`: ${errorTable[code].title}`).join('; '),
      ...(status === 429 || codes.includes('account_locked') ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } } : {}),
      content: {
        [problemMediaType]: {
          schema: { $ref: '#/components/schemas/Problem' },
          examples: Object.fromEntries(codes.map((code) => [code, { value: { type: problemType(code), title: errorTable[code].title, status, code } }])),
        },
      },
    };
  }
  return responses;
}

function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query', toSchema: (schema: z.ZodType, io: 'input') => JsonSchema) {
  if (!schema) return [];
  const objectSchema = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(objectSchema.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === 'path' || (objectSchema.required ?? []).includes(name),
      ...(typeof description === 'string' && { description }),
      schema: propertySchema,
    };
  });
}

/**
 * One zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect). Named schemas become
 * components, referenced by `$ref`.
 */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>, custom: CustomProfileSchemas): JsonSchema {
  const converted = z.toJSONSchema(schema, { io, metadata: componentsAndDescriptions, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
  const { $schema: _dialect, $defs, ...rest } = converted;
  for (const [name, definition] of Object.entries($defs ?? {})) components[name] = rewriteRefs(definition, custom[io]);
  return rewriteRefs(rest, custom[io]);
}

type CustomProfileSchemas = Readonly<Record<'input' | 'output', JsonSchema>>;

/**
 * What stands in the custom-profile slot: the host app's schema (on input without `required`:
 * a change is merged key by key into the stored fields), or, without one, an empty object.
 */
function customProfileSchemas(schema: z.ZodObject | undefined): CustomProfileSchemas {
  const description = 'The host app’s own profile fields. A change is merged key by key into the stored ones; the result must satisfy the schema.';
  if (!schema) {
    const none = { type: 'object', maxProperties: 0, description: 'No custom profile fields are configured (`profile.custom` option).' };
    return { input: none, output: none };
  }
  const convert = (io: 'input' | 'output'): JsonSchema => {
    const { $schema: _dialect, ...converted } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
    if (io === 'input') delete converted.required;
    return { ...converted, description };
  };
  return { input: convert('input'), output: convert('output') };
}

/**
 * Metadata for the conversion: descriptions and examples from zod's global registry (where
 * `.meta()` puts them), component ids from our own registry.
 */
const componentsAndDescriptions = {
  get(schema: z.core.$ZodType) {
    const described = z.globalRegistry.get(schema);
    const named = openApiComponents.get(schema);
    return described || named ? { ...described, ...named } : undefined;
  },
} as unknown as typeof openApiComponents;

/** Formats that already say what their (very long) generated patterns say. */
const selfDescribingFormats = new Set(['date-time', 'date', 'email', 'uuid']);

function rewriteRefs<T>(value: T, customProfile: JsonSchema): T {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'), (_key, node: unknown) => {
    if (node && typeof node === 'object' && !Array.isArray(node)) {
      if ((node as Record<string, unknown>)[customProfileMarker] === true) return customProfile;
      const { format, pattern, ...rest } = node as { format?: unknown; pattern?: unknown };
      if (typeof format === 'string' && selfDescribingFormats.has(format) && pattern !== undefined) return { format, ...rest };
    }
    return node;
  }) as T;
}
