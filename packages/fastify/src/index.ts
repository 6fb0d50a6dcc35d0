/**
 * `@tessera/fastify`: the Fastify 5 plugin for Tessera. Translates between Fastify and the core;
 * every status, body and rule comes from `@tessera/core`.
 */
import { tesseraPlugin } from './tessera-plugin.js';

export { tesseraPlugin, type TesseraPluginOptions } from './tessera-plugin.js';
export type { TesseraGuardHook } from './guard-hook.js';
export { tesseraFrameworkErrors } from './framework-errors.js';
export default tesseraPlugin;
