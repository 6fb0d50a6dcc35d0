/**
 * `@tessera/express`: Tessera's REST API as an Express router, and route guards that set
 * `req.tessera`.
 *
 * @packageDocumentation
 */
export { tesseraRouter, type TesseraRouterOptions } from './tessera-router.js';
export { requireAuth, requirePermission, requireRole, tesseraGuard } from './tessera-guard.js';
