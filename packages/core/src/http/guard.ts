import type { UserRole } from '../auth/roles.js';
import { TesseraError } from '../errors.js';
import { authenticate, type AuthContext } from './handler.js';
import { problemHeaders, problemMediaType, responseSecurityHeaders, toProblem, type ProblemDetails } from './problem.js';
import type { HttpDeps } from './route.js';

/** What a route guard requires of the caller. */
export interface GuardRequirement {
  /** The caller must hold one of these roles. */
  readonly roles?: readonly UserRole[];
  /** The permission table must grant this action (without a target). */
  readonly permission?: string;
}

/** A refusal, ready to send: the adapter writes it as it is. */
export interface GuardDenial {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: ProblemDetails;
}

/** A guard's answer. */
export type GuardOutcome = { readonly allowed: true; readonly auth: AuthContext } | { readonly allowed: false; readonly denial: GuardDenial };

/**
 * The decision behind every adapter's `requireAuth` / `requireRole` / `requirePermission`:
 * verifies the bearer token (no database round trip) and checks the requirement against the
 * permission table. Adapters only translate the outcome into their framework's idiom.
 */
export async function guard(
  deps: Pick<HttpDeps, 'authorizer' | 'verifyAccessToken'>,
  authorization: string | null | undefined,
  requirement: GuardRequirement = {},
  instance?: string,
): Promise<GuardOutcome> {
  const auth = await authenticate(deps, authorization);
  if (!auth) return { allowed: false, denial: denial('unauthenticated', instance) };
  const roleAllowed = requirement.roles === undefined || requirement.roles.includes(auth.role);
  const permissionAllowed = requirement.permission === undefined || auth.can(requirement.permission);
  if (!roleAllowed || !permissionAllowed) return { allowed: false, denial: denial('forbidden', instance) };
  return { allowed: true, auth };
}

/** A refusal for a code, with the status and headers from the one error table. */
export function denial(code: 'unauthenticated' | 'forbidden', instance?: string): GuardDenial {
  const body = toProblem(new TesseraError(code), instance);
  return { status: body.status, headers: { 'content-type': problemMediaType, ...responseSecurityHeaders, ...problemHeaders(body) }, body };
}
