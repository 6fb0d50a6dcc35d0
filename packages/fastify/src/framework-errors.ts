import { problemResponse, TesseraError } from '@tessera/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { pathOf, replyWith } from './web-exchange.js';

/**
 * For Fastify's `frameworkErrors` server option. Fastify's router refuses a URL with malformed
 * percent-encoding (`FST_ERR_BAD_URL`) before any plugin runs, so no plugin can answer it; pass
 * this to `Fastify({ frameworkErrors: tesseraFrameworkErrors })` to answer it as the other
 * adapters do: `400 malformed_request` problem details. Other framework errors keep Fastify's
 * default answer.
 */
export function tesseraFrameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code !== 'FST_ERR_BAD_URL') {
    void reply.send(error);
    return;
  }
  const response = problemResponse(new TesseraError('malformed_request', 'The path is not valid percent-encoding.'), pathOf(request));
  void replyWith(reply, response, request.method === 'HEAD').then((body) => reply.send(body));
}
