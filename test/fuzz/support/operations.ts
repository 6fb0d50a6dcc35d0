import type { Tessera } from '@tessera/core';

/** The part of JSON Schema (2020-12, as zod writes it) that Tessera's request schemas use. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly maxProperties?: number;
  readonly description?: string;
}

/** One parameter of an operation. */
export interface Parameter {
  readonly name: string;
  readonly in: 'query' | 'path';
  readonly required: boolean;
  readonly schema: JsonSchema;
  readonly description?: string;
}

/** One operation of the REST API as its OpenAPI document describes it. */
export interface Operation {
  readonly operationId: string;
  readonly method: string;
  /** Under the mount point, with `{name}` parameters. */
  readonly path: string;
  readonly isBearer: boolean;
  readonly parameters: readonly Parameter[];
  readonly body: { readonly mediaTypes: readonly string[]; readonly schema: JsonSchema; readonly example: unknown } | null;
  /** Status → the media types documented for it (empty: no body). */
  readonly responses: Readonly<Record<string, readonly string[]>>;
  readonly pattern: RegExp;
}

interface DocumentOperation {
  readonly operationId: string;
  readonly security?: readonly unknown[];
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content: Readonly<Record<string, { readonly schema: JsonSchema; readonly example?: unknown }>> };
  readonly responses: Readonly<Record<string, { readonly content?: Readonly<Record<string, unknown>> }>>;
}

/**
 * Every operation, read from the OpenAPI document the Tessera under test serves, checked
 * against its route table so that an operation added later is fuzzed without a change here.
 */
export function operationsOf(tessera: Tessera): Operation[] {
  const document = tessera.openapi('http://localhost/auth') as unknown as { paths: Record<string, Record<string, DocumentOperation>> };
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): Operation => {
      const content = operation.requestBody?.content ?? {};
      const mediaTypes = Object.keys(content);
      return {
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        isBearer: (operation.security ?? []).length > 0,
        parameters: operation.parameters ?? [],
        body: mediaTypes.length === 0 ? null : { mediaTypes, schema: content[mediaTypes[0]!]!.schema, example: content[mediaTypes[0]!]!.example },
        responses: Object.fromEntries(Object.entries(operation.responses).map(([status, response]) => [status, Object.keys(response.content ?? {})])),
        pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`),
      };
    }),
  );
  const documented = new Set(operations.map((operation) => `${operation.method} ${operation.path} ${operation.operationId}`));
  const routed = tessera.routes.map((route) => `${route.method} ${route.path.replace(/\{(\w+)\}/g, '{$1}')} ${route.operationId}`);
  const missing = routed.filter((route) => !documented.has(route));
  if (missing.length > 0 || routed.length !== operations.length) throw new Error(`The OpenAPI document and the route table disagree: ${missing.join(', ')}`);
  return operations;
}

/**
 * The operation that answers a method and path (under the mount point), as the router would
 * pick it: literal paths before parameters, `HEAD` as `GET`. `null` when none matches.
 */
export function operationFor(operations: readonly Operation[], method: string, path: string): Operation | null {
  const wanted = method === 'HEAD' ? 'GET' : method;
  const matching = operations.filter((operation) => operation.pattern.test(path));
  const literalFirst = [...matching].sort((a, b) => a.path.split('{').length - b.path.split('{').length);
  const samePath = literalFirst.filter((operation) => operation.path === literalFirst[0]?.path);
  return samePath.find((operation) => operation.method === wanted) ?? null;
}
