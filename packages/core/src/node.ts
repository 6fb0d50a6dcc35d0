/**
 * Node.js glue shared by Tessera's Node adapters (`@tessera/express`, `@tessera/fastify`):
 * turning an `IncomingMessage`'s headers and body into what a Web `Request` takes. Its own
 * subpath (`@tessera/core/node`), so the main entry stays free of Node-only code.
 *
 * @packageDocumentation
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

/** Node's request headers as Web `Headers`: repeated headers kept, HTTP/2 pseudo-headers dropped. */
export function toWebHeaders(headers: IncomingHttpHeaders): Headers {
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    // HTTP/2 pseudo-headers (`:path`, ...) are not headers of a Web `Request`.
    if (value === undefined || name.startsWith(':')) continue;
    for (const item of Array.isArray(value) ? value : [value]) result.append(name, item);
  }
  return result;
}

/**
 * A Web stream over an unread request body, read only as the consumer pulls. Not
 * `Readable.toWeb`: when the core stops at its size cap it cancels the stream, and destroying
 * an `IncomingMessage` mid-body resets the socket, so the client would see a connection error
 * instead of the 413. Here a cancel detaches and lets the rest be read and dropped, so the
 * problem response goes out on a healthy connection.
 */
export function toWebBodyStream(body: Readable): ReadableStream<Uint8Array> {
  let detach = (): void => undefined;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (body.readableEnded) return controller.close();
        if (body.destroyed) return controller.error(new Error('The request body stream was closed before it was read.'));
        const onData = (chunk: Buffer | string): void => {
          body.pause();
          controller.enqueue(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        };
        const onEnd = (): void => {
          detach();
          controller.close();
        };
        const onError = (error: Error): void => {
          detach();
          controller.error(error);
        };
        detach = () => {
          body.off('data', onData).off('end', onEnd).off('error', onError);
          body.on('error', () => undefined);
        };
        // Paused first, so attaching the listener does not start the flow: nothing is read from
        // the socket until the consumer asks.
        body.pause().on('data', onData).once('end', onEnd).once('error', onError);
      },
      pull() {
        body.resume();
      },
      cancel() {
        detach();
        body.resume();
      },
    },
    { highWaterMark: 0 },
  );
}
