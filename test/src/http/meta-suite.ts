import { expect, it } from 'vitest';
import type { HttpSuiteContext } from './contract.js';
import { jsonOf, send } from './requests.js';

/** Every operationId of the REST API: the contract's list, checked against the route table and the document. */
export const operationIds = [
  'register', 'login', 'token', 'refresh', 'logout', 'verifyEmail', 'verifyEmailLink', 'resendVerification', 'forgotPassword', 'resetPassword',
  'getMe', 'updateMe', 'changePassword', 'changeUsername', 'deleteMe', 'requestPro', 'requestEmailChange', 'confirmEmailChange', 'confirmEmailChangeLink',
  'listUsers', 'countUsers', 'createUser', 'getUser', 'updateUser', 'deleteUser', 'setUserRole', 'lockUser', 'unlockUser', 'suspendUser', 'reactivateUser', 'decidePro',
  'resetUserPassword', 'bulkUsers', 'exportUsers', 'listAuditEvents',
  'health', 'openapi',
] as const;

interface OpenApiBody {
  openapi: string;
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, { operationId: string }>>;
}

/** Health and the API description. */
export function metaSuite(context: HttpSuiteContext): void {
  it('answers health with 200 and status ok after a database round trip', async () => {
    const response = await send(context.app, 'GET', '/auth/health');
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({ status: 'ok', checks: expect.any(Object) });
    const head = await send(context.app, 'HEAD', '/auth/health');
    expect({ status: head.status, body: await head.text() }).toEqual({ status: 200, body: '' });
  });

  it('serves the OpenAPI 3.1 document with this mount as its server and every operation of the route table', async () => {
    const { app, t } = context;
    const response = await send(app, 'GET', '/auth/openapi.json');
    expect(response.status).toBe(200);
    const document = await jsonOf<OpenApiBody>(response);
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toHaveLength(1);
    expect(new URL(document.servers[0]!.url).pathname).toBe('/auth');
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => `${method.toUpperCase()} ${path} ${operation.operationId}`),
    );
    const routeTable = t.tessera.routes.map((route) => `${route.method} ${route.path} ${route.operationId}`);
    expect(documented.sort()).toEqual(routeTable.sort());
    expect(t.tessera.routes.map((route) => route.operationId).sort()).toEqual([...operationIds].sort());
  });
}
