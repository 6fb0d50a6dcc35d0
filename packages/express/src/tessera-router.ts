import type { Tessera } from '@tessera/core';
import express, { type Request, type Router } from 'express';
import { sendResponse, toWebRequest } from './web-exchange.js';

/** Options of {@link tesseraRouter}. */
export interface TesseraRouterOptions {
  /**
   * The client's IP address for a request, recorded in sessions and the audit log. Behind a
   * proxy you trust, `(req) => req.ip ?? null` uses Express's `trust proxy` setting; never read
   * `X-Forwarded-For` yourself without one: anyone can send that header.
   *
   * @default the socket's remote address (`req.socket.remoteAddress`)
   */
  readonly clientIp?: (req: Request) => string | null;
}

/**
 * Tessera's REST API as an Express router, to mount anywhere with `app.use()`. Every request
 * reaching it goes to `tessera.handler` with the full mount path (`req.baseUrl`, nested
 * routers included), so links, `Location` headers and problem `instance`s name the URL the
 * client really called. Statuses, headers and bodies are the core's; the router decides
 * nothing. A body the app's own `express.json()` / `express.urlencoded()` already parsed is
 * reused; otherwise the core reads the stream itself, capped. Unexpected failures (a broken
 * stream, an invalid URL) go to `next(err)`.
 *
 * @param tessera - the Tessera instance (only its `handler` is used).
 * @param options - how to find the client's IP address.
 * @returns an Express `Router` with one catch-all middleware; works in Express 4 and 5.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { tesseraRouter } from '@tessera/express';
 *
 * const app = express();
 * app.use('/auth', tesseraRouter(tessera));
 * ```
 */
export function tesseraRouter(tessera: Pick<Tessera, 'handler'>, options: TesseraRouterOptions = {}): Router {
  const clientIp = options.clientIp ?? socketAddress;
  const router = express.Router();
  router.use((req, res, next) => {
    const answer = async (): Promise<void> => {
      const response = await tessera.handler(toWebRequest(req), { basePath: req.baseUrl, clientIp: clientIp(req) });
      // The core stopped reading a body (over its cap, or on a route without one) while the client
      // may still be sending: end the connection with this response instead of draining the rest.
      if (!req.readableEnded && req.httpVersionMajor === 1) res.setHeader('connection', 'close');
      await sendResponse(res, response, req.method === 'HEAD');
    };
    answer().catch(next);
  });
  return router;
}

function socketAddress(req: Request): string | null {
  return req.socket.remoteAddress ?? null;
}
