import { validate } from '@readme/openapi-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTessera } from '../src/create-tessera.js';
import { errorTable } from '../src/errors.js';
import { openApiDocuments, type OpenApiDocument } from '../src/http/openapi.js';
import { buildRoutes } from '../src/http/routes/route-table.js';
import { generateSigningKey } from '../src/tokens/access-token.js';
import { fakeHasher, fakeStore } from './fakes.js';
import { referenceOpenApiDocument, referenceServerUrl } from './reference-openapi.js';

const committedPath = join(import.meta.dirname, '..', '..', '..', 'docs', 'openapi.json');
const document = await referenceOpenApiDocument();
const tessera = createTessera({ store: fakeStore, passwordHasher: fakeHasher, secret: 's'.repeat(32), tokens: { keys: [await generateSigningKey()] } });

/** The operations anyone may call; every other one needs a bearer token. */
const publicOperations = ['register', 'login', 'token', 'refresh', 'logout', 'verifyEmail', 'verifyEmailLink', 'resendVerification', 'forgotPassword', 'resetPassword', 'confirmEmailChange', 'confirmEmailChangeLink', 'health', 'openapi'];

type Operation = { operationId: string; security: unknown[]; responses: Record<string, unknown>; requestBody?: { content: Record<string, unknown> } };
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), ...(operation as unknown as Operation) })),
);

describe('the OpenAPI document', () => {
  it('is committed as docs/openapi.json exactly as the code generates it (run `pnpm openapi:write` after changing a route)', () => {
    const committed = JSON.parse(readFileSync(committedPath, 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('has every route of the table, under its path, method and operationId', () => {
    expect(tessera.routes.length).toBeGreaterThanOrEqual(29);
    for (const route of tessera.routes) {
      expect(operations).toContainEqual(expect.objectContaining({ path: route.path, method: route.method, operationId: route.operationId }));
    }
    expect(operations).toHaveLength(tessera.routes.length);
    expect(new Set(operations.map((operation) => operation.operationId)).size).toBe(operations.length);
  });

  it('documents a success and every error status of each operation, with problem+json bodies', () => {
    for (const operation of operations) {
      const statuses = Object.keys(operation.responses).map(Number);
      expect(statuses.some((status) => status < 400), operation.operationId).toBe(true);
      expect(statuses, operation.operationId).toEqual(expect.arrayContaining([errorTable.internal_error.status, errorTable.store_unavailable.status]));
    }
    const login = operations.find((operation) => operation.operationId === 'login')!;
    expect(login.responses['401']).toMatchObject({ content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
    expect(login.responses['423']).toMatchObject({ headers: { 'Retry-After': expect.any(Object) } });
  });

  it('declares bearer and OAuth 2.0 password-flow security, required exactly on protected operations', () => {
    const schemes = (document.components as { securitySchemes: Record<string, { type: string; flows?: { password?: { tokenUrl: string } } }> }).securitySchemes;
    expect(schemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.oauth2?.flows?.password?.tokenUrl).toBe(`${referenceServerUrl}/token`);
    for (const operation of operations) {
      const route = tessera.routes.find((candidate) => candidate.operationId === operation.operationId)!;
      const isProtected = !publicOperations.includes(route.operationId);
      expect(operation.security.length > 0, operation.operationId).toBe(isProtected);
    }
  });

  it('documents the token endpoint as form-encoded only, and other bodies as JSON (and forms where flat)', () => {
    const token = operations.find((operation) => operation.operationId === 'token')!;
    expect(Object.keys(token.requestBody!.content)).toEqual(['application/x-www-form-urlencoded']);
    const updateMe = operations.find((operation) => operation.operationId === 'updateMe')!;
    expect(Object.keys(updateMe.requestBody!.content)).toEqual(['application/json']);
  });

  it('builds the document once, and serves each server URL its own servers and OAuth URLs', () => {
    let built = 0;
    const routes = () => {
      built += 1;
      return buildRoutes(() => ({}));
    };
    const describeApi = openApiDocuments(routes, { title: 'T', version: '1' });
    const [a, b, again] = [describeApi('https://a.test/auth'), describeApi('https://b.test'), describeApi('https://a.test/auth')];
    expect(built).toBe(1);
    expect(a.paths).toBe(b.paths);
    expect([a.servers, b.servers]).toEqual([[{ url: 'https://a.test/auth' }], [{ url: 'https://b.test' }]]);
    const tokenUrl = (doc: OpenApiDocument) => (doc.components as { securitySchemes: { oauth2: { flows: { password: { tokenUrl: string } } } } }).securitySchemes.oauth2.flows.password.tokenUrl;
    expect([tokenUrl(a), tokenUrl(b)]).toEqual(['https://a.test/auth/token', 'https://b.test/token']);
    expect(again).toEqual(a);
  });

  it('gives every caller of tessera.openapi() a copy of its own to change', () => {
    const first = tessera.openapi('https://app.test/auth');
    (first.paths['/login'] as Record<string, unknown>).post = 'changed';
    first.paths['/mine'] = {};
    const second = tessera.openapi('https://app.test/auth');
    expect(second.paths['/mine']).toBeUndefined();
    expect(second.paths['/login']?.post).toMatchObject({ operationId: 'login' });
  });
});

