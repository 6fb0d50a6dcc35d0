/**
 * Where a credential could end up in a pino log record, for pino's `redact` option (Express
 * through pino-http, Fastify's built-in logger): the request's credentials headers, a
 * response's cookies, and the usual field names of a password or token logged by mistake
 * (`log.info({ body }, …)`), at the top and one level down.
 */
export const logRedactPaths: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...['password', 'currentPassword', 'newPassword', 'token', 'accessToken', 'refreshToken', 'secret'].flatMap((key) => [key, `*.${key}`]),
];

/** The path of a request URL without its query string: a mailed link's query holds a one-time token. */
export function pathOnly(url: string): string {
  return url.split('?', 1)[0]!;
}
