import type { Logger } from '@tessera/core';
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';

const levels = { debug: 20, info: 30, warn: 40, error: 50 } as const;
type Level = keyof typeof levels;

// Values under these keys never reach the logs, however deep they sit.
const sensitiveKey = /pass(word)?|token|secret|authorization|cookie/i;

/**
 * A small structured logger: one JSON object per line on stdout, pino's shape (`level`,
 * `time`, `msg`), so the same log pipeline reads all three examples. Values under keys that
 * look like credentials are replaced by `[redacted]`; errors are logged as their message.
 */
export function createJsonLogger(minimumLevel: string): Logger {
  const threshold = minimumLevel in levels ? levels[minimumLevel as Level] : levels.info;
  const write = (level: Level) => (fields: Record<string, unknown>, message: string) => {
    if (levels[level] < threshold) return;
    process.stdout.write(`${JSON.stringify({ level: levels[level], time: new Date().toISOString(), ...(redact(fields) as object), msg: message })}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/**
 * Hono middleware: one line per request with an id of our own, the method, the path without
 * its query string (a mailed link's query holds a one-time token), the status and the time.
 * No headers, no bodies.
 */
export function requestLogger(logger: Logger): MiddlewareHandler {
  return createMiddleware(async (c, next) => {
    const started = performance.now();
    await next();
    const fields = { reqId: crypto.randomUUID(), req: { method: c.req.method, path: c.req.path }, res: { statusCode: c.res.status } };
    logger[c.res.status >= 500 ? 'error' : 'info']({ ...fields, responseTime: Math.round((performance.now() - started) * 10) / 10 }, 'request completed');
  });
}

function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return { message: value.message, name: value.name };
  if (typeof value !== 'object' || value === null || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, sensitiveKey.test(key) ? '[redacted]' : redact(item, depth + 1)]));
}
