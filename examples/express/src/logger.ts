import { randomUUID } from 'node:crypto';
import { logRedactPaths, pathOnly } from '@tessera/example-shared';
import { pino, type Logger } from 'pino';
import type { Options } from 'pino-http';

/**
 * Structured JSON logs with pino. Credentials never reach them: request lines carry the path
 * without its query string (a mailed link's query holds a one-time token), no headers and no
 * bodies, and `redact` blanks the usual places a password or token could be passed in by
 * mistake (`logger.info({ body }, …)`).
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...logRedactPaths], censor: '[redacted]' },
  });
}

/** pino-http's options: a request id, and request and response lines stripped to what is safe. */
export const httpLogOptions = {
  // Never taken from the client: a request id in the logs must be ours.
  genReqId: () => randomUUID(),
  serializers: {
    req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
      id: req.id,
      method: req.method,
      path: pathOnly(req.url),
      remoteAddress: req.remoteAddress,
    }),
    res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
  },
  customLogLevel: (_req, res, error) => (error !== undefined || res.statusCode >= 500 ? 'error' : 'info'),
} satisfies Options;
