/**
 * The one options object of Tessera: its zod schema (with every default), its types, and the
 * validation that runs once at construction. Nothing else in the core reads configuration.
 */
import { z } from 'zod';
import type { PermissionTable } from './auth/permissions.js';
import { TesseraConfigError } from './errors.js';
import type { EventConsumer } from './events/event-types.js';
import type { PasswordHasher } from './password/password-hasher.js';
import type { Clock, Logger, RandomSource } from './ports/runtime.js';
import type { RateLimitStore } from './ports/rate-limit-store.js';
import type { TesseraStore } from './ports/store.js';
import { isValidProxyRange } from './http/client-ip.js';
import { redirectTargetProblem } from './http/redirect-target.js';
import { defaultAdjectives, defaultNouns } from './usernames/word-lists.js';
import { toFieldIssues } from './validation.js';

const base64urlKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url-encoded 32-byte value');

/** An Ed25519 key as a JWK (RFC 8037). The private part (`d`) is needed only to sign. */
const ed25519Jwk = z.strictObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: base64urlKey,
  d: base64urlKey.optional(),
  kid: z.string().optional(),
  alg: z.literal('EdDSA').optional(),
  use: z.literal('sig').optional(),
  key_ops: z.array(z.string()).optional(),
  ext: z.boolean().optional(),
});

/** One signing or verification key. The first key of the list signs; the others only verify. */
const signingKeySchema = z.strictObject({
  /** The key id put in the `kid` header; unique within the list. */
  kid: z.string().min(1).max(128).regex(/^[\w.-]+$/, 'may contain letters, digits, ".", "_" and "-" only'),
  /** For EdDSA: an Ed25519 JWK; with `d` it can sign, without it it only verifies. */
  jwk: ed25519Jwk.optional(),
  /** For HS256: a secret of at least 32 bytes (e.g. `openssl rand -base64 48`). */
  secret: z
    .string()
    .refine((value) => new TextEncoder().encode(value).length >= 32, 'must be at least 32 bytes long')
    .optional(),
});

/** Names nobody may take as a username (nor look-alikes of them). */
export const defaultReservedUsernames: readonly string[] = [
  'admin', 'administrator', 'root', 'system', 'sysadmin', 'support', 'help', 'helpdesk', 'api', 'auth', 'oauth',
  'login', 'logout', 'register', 'signup', 'signin', 'me', 'user', 'users', 'null', 'undefined', 'anonymous',
  'tessera', 'security', 'staff', 'moderator', 'mod', 'owner', 'official', 'www', 'mail', 'email', 'info',
  'contact', 'abuse', 'postmaster', 'hostmaster', 'webmaster', 'noreply', 'billing', 'sales', 'settings',
  'account', 'accounts', 'profile', 'dashboard', 'status', 'health', 'openapi', 'docs',
];

/** The profile fields a pro request can require. */
export const profileFieldNames = ['firstName', 'lastName', 'bio', 'location', 'pictureUrl', 'linkedinUrl', 'githubUrl'] as const;

/** A limit: at most `limit` hits per `windowSeconds`. */
const limitSchema = (limit: number, windowSeconds: number) =>
  z.strictObject({ limit: z.number().int().min(1).max(1_000_000), windowSeconds: z.number().int().min(1).max(86_400) }).default({ limit, windowSeconds });

const seconds = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);
const day = 86_400;

function customInstance<T>(description: string, check: (value: object) => boolean) {
  return z.custom<T>((value) => typeof value === 'object' && value !== null && check(value), { message: `must be ${description}` });
}

/** A landing page of the app that a mailed link redirects to: a path, or an https: URL (checked at start-up). */
const redirectTarget = z
  .string()
  .min(1)
  .max(2048)
  .superRefine((value, context) => {
    const problem = redirectTargetProblem(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });

const hasMethods =
  (...names: string[]) =>
  (value: object): boolean =>
    names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');

const tokensSchema = z
  .strictObject({
    /** Signature algorithm of access tokens. One algorithm per verifier: never mixed. @default 'EdDSA' */
    algorithm: z.enum(['EdDSA', 'HS256']).default('EdDSA'),
    /** Signing keys; the first signs, every key verifies (keep a retired key for one TTL + leeway). */
    keys: z.array(signingKeySchema).min(1, 'needs at least one key (see generateSigningKey())'),
    /** `iss` claim put in and required from access tokens. @default 'tessera' */
    issuer: z.string().min(1).default('tessera'),
    /** `aud` claim put in and required from access tokens. @default 'tessera' */
    audience: z.string().min(1).default('tessera'),
    /** Access-token lifetime. @default 900 (15 minutes) */
    accessTokenTtlSeconds: seconds(60, day, 900),
    /** Absolute lifetime of a login session (refresh-token family). @default 2592000 (30 days) */
    refreshTokenTtlSeconds: seconds(300, 365 * day, 30 * day),
    /** A session not refreshed for this long ends. @default 604800 (7 days) */
    refreshTokenIdleTtlSeconds: seconds(60, 365 * day, 7 * day),
    /** Leeway for `exp`/`nbf`/`iat` when verifying. @default 30 */
    clockToleranceSeconds: seconds(0, 300, 30),
    /** Concurrent sessions per user; the oldest are revoked beyond it. @default 50 */
    maxSessionsPerUser: z.number().int().min(1).max(1000).default(50),
    /**
     * Access tokens remembered after a full verification, so a repeated token is not verified
     * again until it expires (about 1 KB each; a token in use stays for at least half that many
     * new tokens after its last use). 0 turns the memory off. @default 10000
     */
    verifiedCacheSize: z.number().int().min(0).max(1_000_000).default(10_000),
  })
  .superRefine((tokens, context) => {
    const kids = new Set<string>();
    tokens.keys.forEach((key, index) => {
      if (kids.has(key.kid)) context.addIssue({ code: 'custom', path: ['keys', index, 'kid'], message: `duplicate kid "${key.kid}"` });
      kids.add(key.kid);
      const expected = tokens.algorithm === 'EdDSA' ? 'jwk' : 'secret';
      const other = expected === 'jwk' ? 'secret' : 'jwk';
      if (key[other] !== undefined) {
        context.addIssue({ code: 'custom', path: ['keys', index, other], message: `is not used with ${tokens.algorithm}; give "${expected}" only` });
      }
      if (key[expected] === undefined) {
        context.addIssue({ code: 'custom', path: ['keys', index, expected], message: `is required with ${tokens.algorithm}` });
      }
    });
    const signer = tokens.keys[0];
    if (signer && tokens.algorithm === 'EdDSA' && signer.jwk && signer.jwk.d === undefined) {
      context.addIssue({ code: 'custom', path: ['keys', 0, 'jwk', 'd'], message: 'the first key signs, so it needs its private part "d"' });
    }
    if (tokens.refreshTokenIdleTtlSeconds > tokens.refreshTokenTtlSeconds) {
      context.addIssue({ code: 'custom', path: ['refreshTokenIdleTtlSeconds'], message: 'must not exceed refreshTokenTtlSeconds' });
    }
  });

/** The zod schema of the options object: the one source of every option and default. */
export const tesseraOptionsSchema = z.strictObject({
  /** Where Tessera keeps its data, e.g. `createKyselyStore(db)` from `@tessera/kysely`. */
  store: customInstance<TesseraStore>('a Tessera store (e.g. createKyselyStore(db) from @tessera/kysely)', hasMethods('transaction', 'ping')),
  /** Hashes passwords: `argon2idHasher()` from `@tessera/core/argon2`. */
  passwordHasher: customInstance<PasswordHasher>(
    'a password hasher (e.g. argon2idHasher() from @tessera/core/argon2)',
    hasMethods('hash', 'verify', 'needsRehash'),
  ),
  /**
   * A random secret of at least 32 characters, kept outside the database. It encrypts the
   * secrets (e.g. a verification token) that wait in the outbox until their mail is sent.
   */
  secret: z.string().min(32, 'must be at least 32 characters of random data (e.g. `openssl rand -base64 48`)'),
  /** The product name, used in mails and refused as part of a password. @default 'Tessera' */
  appName: z.string().min(1).max(100).default('Tessera'),
  tokens: tokensSchema,
  password: z
    .strictObject({
      /** Minimum length in code points (NIST SP 800-63B-4: 15 for password-only). 8 at the least. @default 15 */
      minLength: z.number().int().min(8, 'must be at least 8 (ASVS v5.0.0-6.2.1)').max(64).default(15),
      /** Maximum length in code points; at least 64. @default 256 */
      maxLength: z.number().int().min(64).max(1024).default(256),
      /** Resolves `true` for a password known to be breached (e.g. a k-anonymity range query). */
      isBreached: z.custom<(password: string) => Promise<boolean>>((value) => typeof value === 'function', 'must be a function').optional(),
    })
    .prefault({}),
  lockout: z
    .strictObject({
      /** Consecutive failed logins that lock the account. @default 5 */
      maxFailedAttempts: z.number().int().min(1).max(100).default(5),
      /** Failures older than this stop counting. @default 900 */
      failureWindowSeconds: seconds(1, day, 900),
      /** The first lock's length; each lock in a row doubles it. @default 900 */
      lockSeconds: seconds(1, day, 900),
      /** The longest a lock grows to. @default 3600 */
      maxLockSeconds: seconds(1, 30 * day, 3600),
    })
    .prefault({}),
  verification: z
    .strictObject({
      /** Lifetime of an email-verification token. @default 86400 (24 hours) */
      tokenTtlSeconds: seconds(300, 7 * day, day),
      /** Whether login is refused until the email address is verified. @default true */
      requiredToLogin: z.boolean().default(true),
    })
    .prefault({}),
  passwordReset: z
    .strictObject({
      /** Lifetime of a password-reset token. @default 1800 (30 minutes) */
      tokenTtlSeconds: seconds(300, day, 1800),
    })
    .prefault({}),
  emailChange: z
    .strictObject({
      /** Lifetime of the confirmation link sent to the new address. @default 3600 (1 hour) */
      tokenTtlSeconds: seconds(300, day, 3600),
    })
    .prefault({}),
  usernames: z
    .strictObject({
      /** Shortest username a user may choose. @default 3 */
      minLength: z.number().int().min(1).max(64).default(3),
      /** Longest username a user may choose. @default 30 */
      maxLength: z.number().int().min(3).max(64).default(30),
      /** Names nobody may choose, nor look-alikes of them. @default a list of system and role names */
      reserved: z.array(z.string().min(1).max(64)).default([...defaultReservedUsernames]),
      /** First words of generated usernames (lower-case ASCII). */
      adjectives: z.array(z.string().regex(/^[a-z]{2,12}$/)).min(10).default([...defaultAdjectives]),
      /** Second words of generated usernames (lower-case ASCII). */
      nouns: z.array(z.string().regex(/^[a-z]{2,12}$/)).min(10).default([...defaultNouns]),
      /**
       * How generated usernames are put together: `{adjective}`, `{noun}` and `{number}` (four
       * digits) between lower-case letters, digits, `-` and `_`. @default '{adjective}-{noun}-{number}'
       */
      format: z
        .string()
        .max(64)
        .regex(/^(?:[a-z0-9_-]|\{(?:adjective|noun|number)\})+$/, 'may hold {adjective}, {noun}, {number}, lower-case letters, digits, "-" and "_"')
        .refine((format) => format.includes('{'), 'needs at least one of {adjective}, {noun}, {number}')
        .default('{adjective}-{noun}-{number}'),
    })
    .prefault({})
    .refine((usernames) => usernames.minLength <= usernames.maxLength, { message: 'minLength must not exceed maxLength', path: ['minLength'] }),
  profile: z
    .strictObject({
      /**
       * The host app's own profile fields: a zod object schema. Stored in `profile.custom`,
       * validated on every change (the stored value always satisfies it), typed through
       * `tessera.api` and described in the OpenAPI document.
       */
      custom: z
        .custom<z.ZodObject>(
          (value) => typeof value === 'object' && value !== null && (value as { _zod?: { def?: { type?: unknown } } })._zod?.def?.type === 'object',
          'must be a zod object schema, e.g. z.object({ company: z.string().max(100) }).partial()',
        )
        .optional(),
    })
    .prefault({}),
  pro: z
    .strictObject({
      /** Profile fields that must be filled in before a user may request pro status. @default firstName, lastName, bio, location */
      requiredProfileFields: z.array(z.enum(profileFieldNames)).default(['firstName', 'lastName', 'bio', 'location']),
    })
    .prefault({}),
  listing: z
    .strictObject({
      /**
       * The `total` of a listing page (`listUsers`, `listAuditEvents`) counts matching rows up to
       * this many; past it the page says `totalIsExact: false`, so a total over millions of rows
       * costs what this many rows cost. `countUsers` always counts exactly. @default 1000
       */
      totalUpTo: z.number().int().min(1).max(100_000_000).default(1_000),
    })
    .prefault({}),
  http: z
    .strictObject({
      /** Largest request body the handler reads, enforced while streaming. @default 65536 */
      maxBodyBytes: z.number().int().min(1024).max(10 * 1024 * 1024).default(65_536),
      /** Deepest JSON nesting accepted. @default 32 */
      maxJsonDepth: z.number().int().min(2).max(256).default(32),
      /**
       * Where the verification link from the mail lands after verifying: a path of the app
       * (`/welcome`) or an absolute `https:` URL (`http:` only on localhost), given
       * `?status=verified` or `?status=invalid`. Without it, a small page is shown.
       */
      verifyEmailRedirectUrl: redirectTarget.optional(),
      /**
       * Proxies allowed to tell the client's address through `X-Forwarded-For`: a number of hops,
       * or addresses / CIDR ranges. @default 0 (none: the socket's address counts)
       */
      trustedProxies: z
        .union([z.number().int().min(0).max(10), z.array(z.string().refine(isValidProxyRange, 'must be an IP address or CIDR range'))])
        .default(0),
      /**
       * Where the email-change confirmation link lands, given `?status=confirmed` or
       * `?status=invalid`: a path of the app or an absolute `https:` URL, like `verifyEmailRedirectUrl`.
       */
      confirmEmailChangeRedirectUrl: redirectTarget.optional(),
    })
    .prefault({}),
  rateLimits: z
    .strictObject({
      /** Whether the limits apply. @default true */
      enabled: z.boolean().default(true),
      /**
       * Where counters live: in this process by default; with several instances, a shared store
       * (`createKyselyRateLimitStore(db)` from `@tessera/kysely`, `createRedisRateLimitStore(redis)`
       * from `@tessera/redis`). @default in memory
       */
      store: customInstance<RateLimitStore>('a rate-limit store { hit, peek, reset }', hasMethods('hit', 'peek', 'reset')).optional(),
      /** When the store fails: refuse with 503 (`closed`) or let requests through (`open`). @default 'closed' */
      onStoreFailure: z.enum(['closed', 'open']).default('closed'),
      /** Login attempts (and token-endpoint grants) per client address. @default 60 per 60 s */
      login: limitSchema(60, 60),
      /** Failed logins per client address; beyond it every login from there is refused for the window. @default 20 per 900 s */
      loginFailures: limitSchema(20, 900),
      /** Registrations per client address. @default 10 per 3600 s */
      register: limitSchema(10, 3600),
      /** Forgot-password and resend-verification requests per client address. @default 5 per 900 s */
      mailPerIp: limitSchema(5, 900),
      /** Reset and verification mails per account; beyond it requests are answered alike but send nothing. @default 3 per 3600 s */
      mailPerAccount: limitSchema(3, 3600),
      /** Submissions of mailed tokens (verify, reset, email change) per client address. @default 10 per 60 s */
      tokenSubmit: limitSchema(10, 60),
      /** Refreshes per client address. @default 60 per 60 s */
      refresh: limitSchema(60, 60),
    })
    .prefault({}),
  registration: z
    .strictObject({
      /**
       * What registering with an address that already has an account does: `'reject'` answers
       * `409 email_taken` (clear, but it tells anyone whether an address is registered);
       * `'notify'` answers the HTTP registration exactly as a new one (`202`, "check your mail")
       * and mails the owner a notice (`user.registration_attempted`) instead. @default 'reject'
       */
      existingEmail: z.enum(['reject', 'notify']).default('reject'),
    })
    .prefault({}),
  bootstrap: z
    .strictObject({
      /**
       * Development shortcut: the first user to register becomes ADMIN (exactly one, however
       * many register at once). In production create the first admin with the CLI. @default false
       */
      firstUserBecomesAdmin: z.boolean().default(false),
    })
    .prefault({}),
  events: z
    .strictObject({
      /** Who receives events through the outbox (the mailer is one). Names must be unique. */
      consumers: z
        .array(customInstance<EventConsumer>('an event consumer { name, events, handle }', hasMethods('handle')))
        .default([])
        .superRefine((consumers, context) => {
          const names = consumers.map((consumer) => consumer.name);
          const duplicate = names.find((name, index) => names.indexOf(name) !== index);
          if (duplicate !== undefined) context.addIssue({ code: 'custom', message: `duplicate consumer name "${duplicate}"` });
        }),
      /** Attempts before a message is marked dead. @default 10 */
      maxAttempts: z.number().int().min(1).max(100).default(10),
      /** First retry delay; doubled per attempt (with jitter) up to `maxRetryDelaySeconds`. @default 30 */
      retryDelaySeconds: seconds(1, day, 30),
      /** @default 3600 */
      maxRetryDelaySeconds: seconds(1, 7 * day, 3600),
      /** How long a dispatcher holds a claimed message before another may take it. @default 60 */
      leaseSeconds: seconds(5, day, 60),
      /** Delivered messages are deleted after this long. @default 604800 (7 days) */
      retainDeliveredSeconds: seconds(0, 365 * day, 7 * day),
    })
    .prefault({}),
  /** The host app's own actions, added to the permission table. */
  permissions: z.record(z.string(), z.record(z.string(), z.enum(['any', 'own', 'others', 'othersAtOrBelow']))).optional(),
  /** Source of "now" (tests inject a fixed clock). @default the system clock */
  clock: customInstance<Clock>('a clock { now(): Date }', hasMethods('now')).optional(),
  /** Source of random bytes. @default Web Crypto getRandomValues */
  random: customInstance<RandomSource>('a random source { bytes(n) }', hasMethods('bytes')).optional(),
  /** Structured logger (pino-compatible). Nothing secret is ever logged. @default silent */
  logger: customInstance<Logger>('a logger { debug, info, warn, error }', hasMethods('debug', 'info', 'warn', 'error')).optional(),
});

/** The options `createTessera` takes, as written by the developer (defaults optional). */
export type TesseraOptions<Permissions extends PermissionTable = PermissionTable, CustomProfileSchema extends z.ZodObject | undefined = z.ZodObject | undefined> = Omit<
  z.input<typeof tesseraOptionsSchema>,
  'permissions' | 'profile'
> & {
  readonly permissions?: Permissions;
  readonly profile?: { readonly custom?: CustomProfileSchema };
};

/** The options after validation, with every default filled in. Frozen. */
export type ResolvedOptions = Readonly<z.output<typeof tesseraOptionsSchema>>;

/** One signing key, as given in `tokens.keys`. */
export type SigningKeyOptions = z.output<typeof signingKeySchema>;

/**
 * Validates the options once, fills in the defaults and freezes the result.
 *
 * @throws TesseraConfigError naming every wrong option.
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  const result = tesseraOptionsSchema.safeParse(options);
  if (!result.success) {
    throw new TesseraConfigError(result.error.issues.flatMap(toFieldIssues));
  }
  const resolved = result.data;
  // Freeze the option groups (plain data) but not the injected instances, which belong to
  // their owners (a store or a consumer may keep state of its own).
  for (const group of ['tokens', 'password', 'lockout', 'verification', 'passwordReset', 'emailChange', 'usernames', 'profile', 'pro', 'listing', 'http', 'rateLimits', 'registration', 'bootstrap', 'events'] as const) {
    Object.freeze(resolved[group]);
  }
  resolved.tokens.keys.forEach((key) => Object.freeze(key));
  Object.freeze(resolved.events.consumers);
  return Object.freeze(resolved);
}
