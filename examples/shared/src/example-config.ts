import { resolve } from 'node:path';

/** What an example reads from its environment (12-factor), with development defaults. */
export interface ExampleConfig {
  /** `PORT`. */
  readonly port: number;
  /** `HOST`: the interface to listen on. @default 127.0.0.1 (use 0.0.0.0 in a container) */
  readonly host: string;
  /** `APP_URL`: the public URL, used in mailed links. @default http://localhost:PORT */
  readonly appUrl: string;
  /** Whether `APP_URL` is `https:` (then HSTS and `upgrade-insecure-requests` are sent). */
  readonly isHttps: boolean;
  /** `TESSERA_DATA_DIR`: the PGlite database (`db/`) and the development secrets live here. @default .data */
  readonly dataDir: string;
  /** `DATABASE_URL`: PostgreSQL instead of the embedded PGlite database. */
  readonly databaseUrl: string | null;
  /** `SMTP_URL`: real mail (`smtp://user:pass@host:587`, `smtps://…`) instead of the dev mailbox. */
  readonly smtpUrl: string | null;
  /** `MAIL_FROM`: the sender of mails. @default no-reply@localhost */
  readonly mailFrom: string;
  /** `CORS_ORIGINS`: comma-separated origins allowed to call the API from a browser. @default none */
  readonly corsOrigins: readonly string[];
  /**
   * `TRUSTED_PROXIES`: who may tell the client's address through `X-Forwarded-For` (rate limits,
   * sessions, the audit log): a number of proxy hops, or comma-separated addresses / CIDR ranges.
   * @default 0 (the socket's address counts; the header is ignored)
   */
  readonly trustedProxies: number | readonly string[];
  /**
   * `TESSERA_RATE_LIMITS=off` turns Tessera's rate limits off (for load tests such as
   * `pnpm bench:http` only: never in production). @default on
   */
  readonly rateLimitsEnabled: boolean;
  /** `LOG_LEVEL`. @default info */
  readonly logLevel: string;
  /** `NODE_ENV=production`: secrets and SMTP must then come from the environment. */
  readonly isProduction: boolean;
}

/**
 * Reads the example's configuration from the environment.
 *
 * @param defaultPort - the port when `PORT` is not set (each example has its own, so they can run side by side).
 * @throws Error naming the variable that is wrong, e.g. a `CORS_ORIGINS` entry that is not an origin.
 */
export function readExampleConfig(defaultPort: number, env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  const port = Number(env.PORT ?? defaultPort);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  const appUrl = (env.APP_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(appUrl)) throw new Error(`APP_URL must be an origin such as https://app.example.com, not "${appUrl}"`);
  const corsOrigins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    // Exact origins only: a wildcard or a path would not mean what it seems to.
    if (!/^https?:\/\/[^/*]+$/.test(origin)) throw new Error(`CORS_ORIGINS entries must be origins such as https://app.example.com, not "${origin}"`);
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    appUrl,
    isHttps: appUrl.startsWith('https:'),
    dataDir: resolve(env.TESSERA_DATA_DIR ?? '.data'),
    databaseUrl: nonEmpty(env.DATABASE_URL),
    smtpUrl: nonEmpty(env.SMTP_URL),
    mailFrom: nonEmpty(env.MAIL_FROM) ?? 'no-reply@localhost',
    corsOrigins,
    trustedProxies: parseTrustedProxies(env.TRUSTED_PROXIES),
    rateLimitsEnabled: parseRateLimitsSwitch(env.TESSERA_RATE_LIMITS),
    logLevel: nonEmpty(env.LOG_LEVEL) ?? 'info',
    isProduction: env.NODE_ENV === 'production',
  };
}

function parseTrustedProxies(value: string | undefined): number | string[] {
  const given = nonEmpty(value);
  if (given === null) return 0;
  // Checked in full by createTessera, which names a wrong entry.
  return /^\d+$/.test(given) ? Number(given) : given.split(',').map((entry) => entry.trim()).filter(Boolean);
}

function parseRateLimitsSwitch(value: string | undefined): boolean {
  const given = nonEmpty(value);
  if (given === null || given === 'on') return true;
  if (given === 'off') return false;
  throw new Error(`TESSERA_RATE_LIMITS must be "on" or "off", not "${given}"`);
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}
