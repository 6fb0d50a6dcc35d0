import { z } from 'zod';
import { isTesseraError, TesseraError, type ErrorCode } from '../../errors.js';
import type { SessionTokens } from '../../schemas/account.js';
import { oauthErrorSchema, oauthTokenResponseSchema } from '../http-schemas.js';
import { problemHeaders, tokenResponseHeaders, toProblem } from '../problem.js';
import { defineRoute, type AnyRoute, type HttpDeps, type RouteResult } from '../route.js';

/** What an OAuth 2.0 client may send: RFC 6749 §4.3.2 and §6. Client credentials are accepted and ignored (public client). */
const tokenRequestSchema = z.object({
  grant_type: z.string().max(64).meta({ description: '`password` or `refresh_token`', examples: ['password'] }).optional(),
  username: z.string().max(320).optional().meta({ description: 'The email address (password grant).' }),
  password: z.string().max(4096).optional().meta({ description: 'Password grant.' }),
  refresh_token: z.string().max(512).optional().meta({ description: 'Refresh-token grant.' }),
  scope: z.string().max(1024).optional(),
  client_id: z.string().max(256).optional(),
  client_secret: z.string().max(256).optional(),
});

type OAuthError = 'invalid_request' | 'invalid_grant' | 'unsupported_grant_type';

/** Tessera codes as OAuth 2.0 error codes (RFC 6749 §5.2). */
const oauthErrors: Partial<Record<ErrorCode, OAuthError>> = {
  validation_failed: 'invalid_request',
  invalid_credentials: 'invalid_grant',
  account_locked: 'invalid_grant',
  account_suspended: 'invalid_grant',
  email_not_verified: 'invalid_grant',
  invalid_refresh_token: 'invalid_grant',
};

/**
 * The OAuth 2.0 token endpoint (password and refresh-token grants), form-encoded, with RFC 6749
 * responses and errors, so generic OAuth clients (and Swagger UI's Authorize button) work.
 * Errors are RFC 6749 objects that are also problem details.
 */
export const oauthTokenRoute: AnyRoute = defineRoute({
  operationId: 'token',
  method: 'POST',
  path: '/token',
  tags: ['Account'],
  summary: 'OAuth 2.0 token endpoint (password and refresh_token grants)',
  description: 'Form-encoded as RFC 6749 requires. `username` is the email address. Errors follow RFC 6749 §5.2 (`error`, `error_description`) and are also problem details.',
  auth: 'none',
  body: { schema: tokenRequestSchema, formats: ['form'], example: { grant_type: 'password', username: 'ada@example.com', password: 'correct horse battery staple' } },
  responses: {
    200: { description: 'RFC 6749 §5.1 token response.', schema: oauthTokenResponseSchema },
    400: { description: 'RFC 6749 §5.2 error (also problem details).', schema: oauthErrorSchema, mediaType: 'application/json' },
  },
  errors: [],
  handle: async ({ deps, body, meta }) => {
    const tokens = await grant(deps, body, meta);
    return {
      status: 200,
      headers: tokenResponseHeaders,
      body: { access_token: tokens.accessToken, token_type: 'Bearer', expires_in: tokens.expiresIn, refresh_token: tokens.refreshToken },
    };
  },
  renderError: oauthError,
});

async function grant(deps: HttpDeps, body: z.output<typeof tokenRequestSchema>, meta: Parameters<HttpDeps['api']['login']>[1]): Promise<SessionTokens> {
  switch (body.grant_type) {
    case undefined:
      throw new TesseraError('validation_failed', 'grant_type is required.', { details: { fields: [{ path: 'grant_type', code: 'required', message: 'is required' }] } });
    case 'password':
      return deps.api.login({ email: body.username ?? '', password: body.password ?? '' }, meta);
    case 'refresh_token':
      return deps.api.refresh({ refreshToken: body.refresh_token ?? '' }, meta);
    default:
      throw new UnsupportedGrant();
  }
}

class UnsupportedGrant extends TesseraError {
  constructor() {
    // A validation failure names its field, as every other one does.
    super('validation_failed', 'Use grant_type "password" or "refresh_token".', {
      details: { fields: [{ path: 'grant_type', code: 'invalid_value', message: 'is not "password" or "refresh_token"' }] },
    });
  }
}

/** RFC 6749 §5.2 errors for what an OAuth client can get wrong; anything else stays a plain problem. */
function oauthError(error: unknown): RouteResult | undefined {
  const code: OAuthError | undefined = error instanceof UnsupportedGrant ? 'unsupported_grant_type' : isTesseraError(error) ? oauthErrors[error.code] : undefined;
  if (!code) return undefined;
  const problem = toProblem(error);
  return {
    status: 400,
    headers: { ...tokenResponseHeaders, 'content-type': 'application/json', ...problemHeaders(problem) },
    body: { ...problem, status: 400, error: code, error_description: problem.detail ?? problem.title },
  };
}
