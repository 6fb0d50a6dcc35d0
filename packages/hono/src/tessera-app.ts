import type { Tessera } from '@tessera/core';
import { Hono, type Context } from 'hono';
import { cloneRawRequest } from 'hono/request';
import { basePath } from 'hono/route';

/** Options of {@link tesseraApp}. */
export interface TesseraAppOptions {
  /**
   * The client's IP address for a request, recorded in sessions and the audit log. Read
   * `X-Forwarded-For` here only behind a proxy you trust: anyone can send that header.
   *
   * @default the socket's remote address on `@hono/node-server`, otherwise `null`
   */
  readonly clientIp?: (c: Context) => string | null;
}

/**
 * Tessera's REST API as a Hono sub-app, to mount with `app.route()`. Every request under the
 * mount path goes to `tessera.handler` with the full mount path (parameters filled in, nested
 * `route()` calls included), so links, `Location` headers and problem `instance`s name the
 * URL the client really called. Statuses, bodies and headers are the core's.
 *
 * @param tessera - the Tessera instance (only its `handler` is used).
 * @param options - how to find the client's IP address.
 * @returns a `Hono` app with one catch-all route.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { tesseraApp } from '@tessera/hono';
 *
 * const app = new Hono();
 * app.route('/auth', tesseraApp(tessera));
 * ```
 */
export function tesseraApp(tessera: Pick<Tessera, 'handler'>, options: TesseraAppOptions = {}): Hono {
  const clientIp = options.clientIp ?? nodeSocketAddress;
  const app = new Hono();
  app.all('/*', async (c) => {
    // A host middleware that read the body through `c.req.json()` etc. left the raw stream
    // used; Hono keeps what it read, so the core gets the same body instead of a 500.
    const request = c.req.raw.bodyUsed ? await cloneRawRequest(c.req) : c.req.raw;
    return tessera.handler(request, { basePath: basePath(c), clientIp: clientIp(c) });
  });
  return app;
}

/** What `@hono/node-server` puts in `c.env`: the Node request, whose socket knows the peer. */
interface NodeServerBindings {
  readonly incoming?: { readonly socket?: { readonly remoteAddress?: unknown } };
}

function nodeSocketAddress(c: Context): string | null {
  const bindings = c.env as NodeServerBindings | undefined;
  const address = bindings?.incoming?.socket?.remoteAddress;
  return typeof address === 'string' ? address : null;
}
