import { logRedactPaths, pathOnly } from '@tessera/example-shared';
import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/**
 * Fastify's built-in logger (pino) writing structured JSON. Credentials never reach it: request
 * lines carry the path without its query string (a mailed link's query holds a one-time
 * token), no headers and no bodies, and `redact` blanks the usual places a password or token
 * could be passed in by mistake (`request.log.info({ body }, …)`).
 */
export function loggerOptions(level: string): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    redact: { paths: [...logRedactPaths], censor: '[redacted]' },
    serializers: {
      req: (request: FastifyRequest) => ({ method: request.method, path: pathOnly(request.url), remoteAddress: request.ip }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
    },
  };
}
