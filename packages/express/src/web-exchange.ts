import { toWebBodyStream, toWebHeaders } from '@tessera/core/node';
import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';

/** Framing and coding headers that describe the bytes on the wire, not a re-serialised body. */
const wireHeaders = ['content-length', 'transfer-encoding', 'content-encoding'];

/**
 * The Express request as a Web `Request`: the URL the client called (`originalUrl`, so the
 * mount path is kept), every header, and the body. A body the host app's parsers already read
 * is serialised again by its type; otherwise the unread stream is handed over, so the core
 * enforces its size cap while reading.
 */
export function toWebRequest(req: ExpressRequest): Request {
  const headers = toWebHeaders(req.headers);
  const body = bodyOf(req);
  if (typeof body === 'string' || body instanceof Uint8Array) for (const name of wireHeaders) headers.delete(name);
  return new Request(urlOf(req), {
    method: req.method,
    headers,
    ...(body !== null && { body, duplex: 'half' }),
  });
}

/**
 * Writes a Web `Response` to the Express response: status, every header (each `Set-Cookie`
 * on its own) and the body bytes; none for a `HEAD` request.
 */
export async function sendResponse(res: ExpressResponse, response: Response, isHead: boolean): Promise<void> {
  res.status(response.status);
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (isHead || response.body === null) {
    await response.body?.cancel();
    res.end();
    return;
  }
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** The URL the client called. An absolute-form target (`GET http://host/path`) is that URL (RFC 9112 §3.2.2). */
function urlOf(req: ExpressRequest): string {
  if (!req.originalUrl.startsWith('/')) return req.originalUrl;
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`;
}

/** The body to hand over: bytes or text from the host app's parsers, the unread stream, or none. */
function bodyOf(req: ExpressRequest): ReadableStream<Uint8Array> | Uint8Array | string | null {
  if (req.method === 'GET' || req.method === 'HEAD') return null;
  if (!req.readableEnded) return toWebBodyStream(req);
  // Consumed: by a body parser (its result is in `req.body`), or by something that kept nothing.
  const parsed: unknown = req.body;
  if (parsed === undefined || req.get('content-length') === '0') return null;
  if (typeof parsed === 'string' || parsed instanceof Uint8Array) return parsed;
  const mediaType = (req.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-www-form-urlencoded' && typeof parsed === 'object' && parsed !== null) return formOf(parsed);
  return JSON.stringify(parsed);
}

/** `express.urlencoded()` output as a form again; a field sent twice (an array) stays repeated. */
function formOf(fields: object): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) form.append(name, typeof item === 'string' ? item : JSON.stringify(item));
  }
  return form.toString();
}
