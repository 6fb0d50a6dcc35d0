import type { HealthReport } from '../http/route.js';
import type { ServiceDeps } from './service-deps.js';

/** Round-trips to the database and reports how long it took. */
export async function checkStoreHealth(deps: Pick<ServiceDeps, 'store' | 'logger'>): Promise<HealthReport> {
  const started = performance.now();
  try {
    await deps.store.ping();
    return { status: 'ok', checks: { database: { status: 'ok', latencyMs: Math.round((performance.now() - started) * 10) / 10 } } };
  } catch (error) {
    deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'tessera: health check failed');
    return { status: 'degraded', checks: { database: { status: 'failing' } } };
  }
}
