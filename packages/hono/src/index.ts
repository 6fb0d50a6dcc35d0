/**
 * `@tessera/hono`: Tessera's REST API as a Hono sub-app, and route guards that set
 * `c.get('tessera')`.
 *
 * @packageDocumentation
 */
export { tesseraApp, type TesseraAppOptions } from './tessera-app.js';
export { requireAuth, requirePermission, requireRole, tesseraGuard, type TesseraMiddleware, type TesseraVariables } from './tessera-guard.js';
