import { Readable } from 'node:stream';
import { toWebBodyStream, toWebHeaders } from '@tessera/core/node';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The Fastify request as a Web `Request`: the URL as the client sent it (no re-encoding), every
 * header (repeated ones kept), and `body` streamed as it is read, not before.
 */
export function toWebRequest(request: FastifyRequest, body: Readable | undefined): Request {
  return new Request(`${request.protocol}://${authorityOf(request.host)}${request.url}`, {
    method: request.method,
    headers: toWebHeaders(request.headers),
    ...(body !== undefined && { body: toWebBodyStream(body), duplex: 'half' }),
  });
}

/** A host name or IP literal with an optional port: what a `Host` header must hold. */
const hostPattern = /^(?:\[[\da-f:.]+\]|[\w.-]+)(?::\d{1,5})?$/i;

/**
 * The request's authority. A `Host` header that is none (`a b`, `x/y`, port 99999) would make the
 * URL fail to parse, or shift the path; the core then answers on a neutral origin instead of the
 * request failing with a 500. Only the OpenAPI document's server URL uses the origin.
 */
function authorityOf(host: string | undefined): string {
  return host !== undefined && hostPattern.test(host) && URL.canParse(`http://${host}`) ? host : 'localhost';
}

/** The request path without its query string: the `instance` of a problem about it. */
export function pathOf(request: FastifyRequest): string {
  return request.url.split('?', 1)[0] ?? request.url;
}

/** The body to hand over: the raw payload stream the scope's catch-all parser passed through. */
export function payloadOf(request: FastifyRequest): Readable | undefined {
  return request.body instanceof Readable ? request.body : undefined;
}

/**
 * Writes a Web `Response` to the reply: status, headers (each `Set-Cookie` on its own) and the
 * body bytes, which the caller returns from its handler (`undefined` when there is none or the
 * request is a `HEAD`).
 */
export async function replyWith(reply: FastifyReply, response: Response, isHead: boolean): Promise<Buffer | undefined> {
  reply.code(response.status);
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') reply.header(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) reply.header('set-cookie', cookies);
  if (isHead || response.body === null) {
    await response.body?.cancel();
    return undefined;
  }
  return Buffer.from(await response.arrayBuffer());
}
