import type { Readable } from 'node:stream';
import { isTesseraError, problemResponse, type Tessera } from '@tessera/core';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { pathOf, payloadOf, replyWith, toWebRequest } from './web-exchange.js';

/** Options of the inner, encapsulated plugin that owns Tessera's routes. */
export interface TesseraRoutesOptions {
  readonly tessera: Tessera<string>;
}

/**
 * Fastify's refusals of a request's shape, raised before any parser ran (the body is still
 * unread): Tessera answers these itself, as it would on any other framework.
 */
const refusalsTesseraAnswers = new Set(['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'FST_ERR_ROUTE_MISSING_CONTENT_TYPE']);

/**
 * Every method and path under the prefix this plugin is registered with goes to
 * `tessera.handler`, Fastify's 404 included. Registered without `fastify-plugin` so its parser,
 * error handler and not-found handler stay inside this scope.
 */
export const tesseraRoutes: FastifyPluginAsync<TesseraRoutesOptions> = async (scope, { tessera }) => {
  // The full mount path, outer prefixes included (`/v1/auth`): links and problem instances use it.
  const basePath = scope.prefix;

  const answer = async (request: FastifyRequest, reply: FastifyReply, body: Readable | undefined): Promise<Buffer | undefined> => {
    const response = await tessera.handler(toWebRequest(request, body), { basePath, clientIp: request.socket.remoteAddress ?? null });
    // Core did not read the body to its end (over its size cap, or a route without one) and the
    // client may still be sending: as Fastify does when its own parser gives up on a body, the
    // connection ends with this response instead of being held open for the rest.
    if (body !== undefined && !body.readableEnded && request.raw.httpVersionMajor === 1) reply.header('connection', 'close');
    return replyWith(reply, response, request.method === 'HEAD');
  };
  const handle = (request: FastifyRequest, reply: FastifyReply): Promise<Buffer | undefined> => answer(request, reply, payloadOf(request));

  // Core reads the body and enforces its size cap while streaming, whatever the framing; the
  // payload is passed through unread, so Fastify's parsers (and their bodyLimit) never cut in.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  scope.setErrorHandler(async (error: unknown, request, reply) => {
    const { code, statusCode } = fieldsOf(error);
    if (typeof code === 'string' && refusalsTesseraAnswers.has(code)) return answer(request, reply, request.raw);
    // A client error raised by the host app's own hooks (a rate limiter, ...) is the app's answer:
    // its error handler formats it.
    if (!isTesseraError(error) && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) throw error;
    const response = problemResponse(error, pathOf(request));
    if (response.status >= 500) request.log.error({ err: error }, 'tessera: request failed');
    return replyWith(reply, response, request.method === 'HEAD');
  });

  scope.setNotFoundHandler(handle);
  scope.all('/', handle);
  scope.all('/*', handle);
};

function fieldsOf(error: unknown): { code?: unknown; statusCode?: unknown } {
  return typeof error === 'object' && error !== null ? error : {};
}
