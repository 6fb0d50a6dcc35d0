import type { AnyRoute } from '../route.js';
import { accountRoutes } from './account-routes.js';
import { meRoutes } from './me-routes.js';
import { metaRoutes } from './meta-routes.js';
import { oauthTokenRoute } from './oauth-token-route.js';
import { auditRoutes } from './audit-routes.js';
import { emailChangeRoutes } from './email-change-routes.js';
import { userBulkRoutes } from './user-bulk-routes.js';
import { userRoutes } from './user-routes.js';

/** THE route table: every operation of the REST API, in documentation order. */
export function buildRoutes(openApiDocument: (serverUrl: string) => unknown): AnyRoute[] {
  return [...accountRoutes, oauthTokenRoute, ...meRoutes, ...emailChangeRoutes, ...userRoutes, ...userBulkRoutes, ...auditRoutes, ...metaRoutes(openApiDocument)];
}
