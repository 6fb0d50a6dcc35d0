import type { GuardRequirement, Tessera } from '@tessera/core';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { pathOf } from './web-exchange.js';

/**
 * A route hook guarding the host app's own routes: use it as `onRequest` (cheapest: before the
 * body is read) or `preHandler`. On success it fills `request.tessera`; on refusal it sends the
 * problem response core built (401 with `WWW-Authenticate`, or 403) and the route never runs.
 */
export type TesseraGuardHook = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

/** A hook that asks `tessera.guard` about the `Authorization` header and translates the outcome. */
export function guardHook(tessera: Tessera<string>, requirement: GuardRequirement): TesseraGuardHook {
  return (request, reply, done) => {
    tessera.guard(request.headers.authorization, requirement, pathOf(request)).then(
      (outcome) => {
        if (outcome.allowed) {
          request.tessera = outcome.auth;
          done();
          return;
        }
        const { status, headers, body } = outcome.denial;
        // Not calling `done`: the reply is sent, the lifecycle stops here. Bytes, not a string, so
        // Fastify keeps core's content type as it is (no `charset` appended).
        void reply.code(status).headers(headers).send(Buffer.from(JSON.stringify(body)));
      },
      (error: unknown) => done(error instanceof Error ? error : new Error('tessera: the guard failed', { cause: error })),
    );
  };
}
