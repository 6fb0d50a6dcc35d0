import { base64url, type JWK } from 'jose';
import { createAuthorizer, type Actor, type Authorizer, type BuiltInAction, type PermissionTable, type PermissionTarget } from './auth/permissions.js';
import { EventPublisher } from './events/event-publisher.js';
import { OutboxDispatcher } from './events/outbox-dispatcher.js';
import { SecretSealer } from './events/sealed-secrets.js';
import { resolveOptions, type ResolvedOptions, type TesseraOptions } from './options.js';
import type { PasswordHash } from './password/password-hasher.js';
import { cryptoRandom, silentLogger, systemClock } from './ports/runtime.js';
import { memoryRateLimitStore } from './rate-limit/memory-rate-limit-store.js';
import { RateLimiter } from './rate-limit/rate-limiter.js';
import type {
  ChangePasswordInput,
  ChangeUsernameInput,
  CreateAdminInput,
  CreateUserInput,
  DeleteAccountInput,
  EmailInput,
  LoginInput,
  RefreshTokenInput,
  RegisterInput,
  RequestEmailChangeInput,
  ResetPasswordInput,
  SessionTokens,
  TokenInput,
  UpdateMeInput,
  UpdateUserInput,
} from './schemas/account.js';
import type { z } from 'zod';
import type { AdminUserView, CustomProfile, UserView } from './schemas/user-view.js';
import { confirmEmailChange, requestEmailChange } from './services/email-change.js';
import { resendVerification, verifyEmail } from './services/email-verification.js';
import { login } from './services/login.js';
import { changePassword, deleteMe, getMe, updateMe } from './services/own-account.js';
import { forgotPassword, resetPassword } from './services/password-recovery.js';
import { createAdmin, register, type RegistrationResult } from './services/registration.js';
import type { Caller, RequestMeta, ServiceDeps } from './services/service-deps.js';
import { bulkUsers, exportUsers, resetUserPassword, type BulkResult, type BulkUsersInput, type ExportUsersInput, type ResetUserPasswordInput } from './services/account-actions.js';
import { listAuditEvents, type AuditPage, type ListAuditEventsInput } from './services/audit-listing.js';
import { decidePro, requestPro, type DecideProInput } from './services/pro-status.js';
import { logout, refresh } from './services/sessions.js';
import { countUsers, listUsers, type CountUsersInput, type ListUsersInput, type UserPage } from './services/user-listing.js';
import { changeUsername } from './services/username-change.js';
import {
  changeUserStatus,
  createUser,
  deleteUser,
  getUser,
  setUserRole,
  updateUser,
  type SetUserRoleInput,
} from './services/user-administration.js';
import { authenticate, createHandler, type AuthContext, type TesseraHandler } from './http/handler.js';
import { guard, type GuardOutcome, type GuardRequirement } from './http/guard.js';
import { openApiDocuments, type OpenApiDocument } from './http/openapi.js';
import type { HealthReport, HttpDeps } from './http/route.js';
import { buildRoutes } from './http/routes/route-table.js';
import { checkStoreHealth } from './services/health.js';
import { AccessTokens, type Principal } from './tokens/access-token.js';

/**
 * The service face of Tessera: plain records in and out; failures are `TesseraError`s with a
 * stable `code`. The HTTP handler is built on exactly these calls.
 */
/**
 * The service face of Tessera: plain records in and out; failures are `TesseraError`s with a
 * stable `code`. The HTTP handler is built on exactly these calls. `Custom` / `CustomInput` type
 * the host app's own profile fields (`profile.custom` option).
 */
export interface TesseraApi<Custom extends CustomProfile = CustomProfile, CustomInput extends Record<string, unknown> = Record<string, unknown>> {
  register(input: RegisterInput<CustomInput>, meta?: RequestMeta): Promise<RegistrationResult<Custom>>;
  login(input: LoginInput, meta?: RequestMeta): Promise<SessionTokens<Custom>>;
  refresh(input: RefreshTokenInput, meta?: RequestMeta): Promise<SessionTokens<Custom>>;
  logout(input: RefreshTokenInput): Promise<void>;
  verifyEmail(input: TokenInput, meta?: RequestMeta): Promise<UserView<Custom>>;
  resendVerification(input: EmailInput, meta?: RequestMeta): Promise<void>;
  forgotPassword(input: EmailInput, meta?: RequestMeta): Promise<void>;
  resetPassword(input: ResetPasswordInput, meta?: RequestMeta): Promise<void>;
  getMe(principal: Principal): Promise<UserView<Custom>>;
  updateMe(principal: Principal, input: UpdateMeInput<CustomInput>): Promise<UserView<Custom>>;
  changePassword(principal: Principal, input: ChangePasswordInput, meta?: RequestMeta): Promise<SessionTokens<Custom>>;
  deleteMe(principal: Principal, input: DeleteAccountInput): Promise<void>;
  changeUsername(principal: Principal, input: ChangeUsernameInput): Promise<UserView<Custom>>;
  requestEmailChange(principal: Principal, input: RequestEmailChangeInput): Promise<void>;
  confirmEmailChange(input: TokenInput, meta?: RequestMeta): Promise<UserView<Custom>>;
  requestPro(principal: Principal, meta?: RequestMeta): Promise<UserView<Custom>>;
  createAdmin(input: CreateAdminInput): Promise<UserView<Custom>>;
  listUsers(caller: Caller, input: ListUsersInput): Promise<UserPage<Custom>>;
  /** Counts the users matching `listUsers` filters, exactly (a full count: for reports, not every page). */
  countUsers(caller: Caller, input?: CountUsersInput): Promise<number>;
  createUser(caller: Caller, input: CreateUserInput<CustomInput>, meta?: RequestMeta): Promise<AdminUserView<Custom>>;
  getUser(caller: Caller, id: string): Promise<AdminUserView<Custom>>;
  updateUser(caller: Caller, id: string, input: UpdateUserInput<CustomInput>, meta?: RequestMeta): Promise<AdminUserView<Custom>>;
  deleteUser(caller: Caller, id: string, meta?: RequestMeta): Promise<void>;
  setUserRole(caller: Caller, id: string, input: SetUserRoleInput, meta?: RequestMeta): Promise<AdminUserView<Custom>>;
  lockUser(caller: Caller, id: string, meta?: RequestMeta): Promise<AdminUserView<Custom>>;
  unlockUser(caller: Caller, id: string, meta?: RequestMeta): Promise<AdminUserView<Custom>>;
  suspendUser(caller: Caller, id: string, meta?: RequestMeta): Promise<AdminUserView<Custom>>;
  reactivateUser(caller: Caller, id: string, meta?: RequestMeta): Promise<AdminUserView<Custom>>;
  decidePro(caller: Caller, id: string, input: DecideProInput, meta?: RequestMeta): Promise<AdminUserView<Custom>>;
  resetUserPassword(caller: Caller, id: string, input?: ResetUserPasswordInput, meta?: RequestMeta): Promise<AdminUserView<Custom>>;
  bulkUsers(caller: Caller, input: BulkUsersInput, meta?: RequestMeta): Promise<BulkResult[]>;
  exportUsers(caller: Caller, input?: ExportUsersInput): AsyncIterable<AdminUserView<Custom>>;
  listAuditEvents(caller: Caller, input: ListAuditEventsInput): Promise<AuditPage>;
}

/** The stored and the input type of the host app's profile fields, from its schema. */
export type CustomProfileOf<Schema> = Schema extends z.ZodObject ? z.output<Schema> : CustomProfile;
export type CustomProfileInputOf<Schema> = Schema extends z.ZodObject ? z.input<Schema> : Record<string, unknown>;

/** A configured Tessera instance. */
export interface Tessera<Action extends string = BuiltInAction, Custom extends CustomProfile = CustomProfile, CustomInput extends Record<string, unknown> = Record<string, unknown>> {
  /** The validated, frozen options. */
  readonly options: ResolvedOptions;
  /** The services. */
  readonly api: TesseraApi<Custom, CustomInput>;
  /** The permission table in force (built in plus the host app's actions). */
  readonly authorizer: Authorizer<Action>;
  /** Delivers outbox events to the consumers; call `outbox.start()` in each app process. */
  readonly outbox: OutboxDispatcher;
  /**
   * Verifies an access token without touching the database. `null` for anything that is not a
   * valid, unexpired token of this issuer.
   */
  verifyAccessToken(token: string): Promise<Principal | null>;
  /** Whether a principal (or `null`, anonymous) may perform an action: see the permission table. */
  can(who: Principal | Actor, action: Action, target?: PermissionTarget): boolean;
  /** The public signing keys (JWKS) for services that verify tokens themselves. */
  jwks(): Promise<{ keys: JWK[] }>;
  /**
   * The REST API as one function on Web-standard `Request` → `Response` (runs on Node, Bun,
   * Deno and workers). Adapters pass the mount path and the client IP in `context`.
   */
  handler: TesseraHandler;
  /**
   * Verifies an `Authorization` header value (`Bearer <token>`) and returns the auth context
   * for the host app's own routes, or `null`. No database round trip.
   */
  authenticate(authorization: string | null | undefined): Promise<AuthContext | null>;
  /**
   * The decision of a route guard: authenticated, and holding one of `roles` and/or granted
   * `permission`? On refusal, the problem response to send (status from the error table).
   */
  guard(authorization: string | null | undefined, requirement?: GuardRequirement, instance?: string): Promise<GuardOutcome>;
  /** The OpenAPI 3.1 document of the REST API, with `serverUrl` (origin and mount path) as its server. */
  openapi(serverUrl: string): OpenApiDocument;
  /** The operations of the REST API: operationId, method and path. */
  readonly routes: ReadonlyArray<{ readonly operationId: string; readonly method: string; readonly path: string }>;
  /** Checks the database (for health endpoints). */
  checkHealth(): Promise<HealthReport>;
  /** Stops the outbox dispatcher, waiting for deliveries in flight. The store is the caller's to close. */
  close(): Promise<void>;
}

/**
 * Creates a Tessera instance from one options object.
 *
 * @example
 * ```ts
 * import { createTessera, generateSigningKey } from '@tessera/core';
 * import { argon2idHasher } from '@tessera/core/argon2';
 * import { createPostgresStore } from '@tessera/kysely/postgres';
 *
 * const tessera = createTessera({
 *   store: createPostgresStore({ connectionString: process.env.DATABASE_URL }).store,
 *   passwordHasher: argon2idHasher(),
 *   secret: process.env.TESSERA_SECRET!,
 *   tokens: { keys: [JSON.parse(process.env.TESSERA_SIGNING_KEY!)] },
 * });
 * ```
 * @throws TesseraConfigError naming every wrong option.
 */
export function createTessera<const Permissions extends PermissionTable = Record<never, never>, CustomProfileSchema extends z.ZodObject | undefined = undefined>(
  options: TesseraOptions<Permissions, CustomProfileSchema>,
): Tessera<BuiltInAction | Extract<keyof Permissions, string>, CustomProfileOf<CustomProfileSchema>, CustomProfileInputOf<CustomProfileSchema>> {
  type Custom = CustomProfileOf<CustomProfileSchema>;
  type CustomInput = CustomProfileInputOf<CustomProfileSchema>;
  const resolved = resolveOptions(options);
  const clock = resolved.clock ?? systemClock;
  const random = resolved.random ?? cryptoRandom;
  const logger = resolved.logger ?? silentLogger;
  if (resolved.password.minLength < 15) {
    logger.warn({ minLength: resolved.password.minLength }, 'tessera: password.minLength is below 15, the NIST SP 800-63B-4 floor for password-only accounts');
  }
  const authorizer = createAuthorizer((options.permissions ?? {}) as Permissions);
  const sealer = new SecretSealer(resolved.secret, random);
  const outbox = new OutboxDispatcher({
    store: resolved.store,
    consumers: resolved.events.consumers,
    sealer,
    clock,
    random,
    logger,
    options: resolved.events,
    // Rotated and revoked refresh tokens are kept for reuse detection until their session ends.
    periodicCleanup: () => resolved.store.refreshTokens.purgeEnded(clock.now()),
  });
  let dummyHash: Promise<PasswordHash> | undefined;

  const rateLimitStore = resolved.rateLimits.store ?? memoryRateLimitStore();
  const deps: ServiceDeps = {
    store: resolved.store,
    options: resolved,
    clock,
    random,
    logger,
    hasher: resolved.passwordHasher,
    accessTokens: new AccessTokens(resolved.tokens, clock, random),
    authorizer: authorizer,
    events: new EventPublisher(resolved.events.consumers, sealer, clock, random),
    rateLimiter: new RateLimiter(resolved.rateLimits, rateLimitStore, clock, logger),
    rateLimitStore,
    dummyHash: () => (dummyHash ??= resolved.passwordHasher.hash(base64url.encode(random.bytes(24)))),
    onCommit: () => outbox.nudge(),
  };

  // The services work on untyped custom fields (validated at run time); the generics only give
  // callers the host schema's types.
  const api = {
    register: (input, meta) => register(deps, input, meta),
    login: (input, meta) => login(deps, input, meta),
    refresh: (input, meta) => refresh(deps, input, meta),
    logout: (input) => logout(deps, input),
    verifyEmail: (input, meta) => verifyEmail(deps, input, meta),
    resendVerification: (input, meta) => resendVerification(deps, input, meta),
    forgotPassword: (input, meta) => forgotPassword(deps, input, meta),
    resetPassword: (input, meta) => resetPassword(deps, input, meta),
    getMe: (principal) => getMe(deps, principal),
    updateMe: (principal, input) => updateMe(deps, principal, input),
    changePassword: (principal, input, meta) => changePassword(deps, principal, input, meta),
    deleteMe: (principal, input) => deleteMe(deps, principal, input),
    changeUsername: (principal, input) => changeUsername(deps, principal, input),
    requestEmailChange: (principal, input) => requestEmailChange(deps, principal, input),
    confirmEmailChange: (input, meta) => confirmEmailChange(deps, input, meta),
    requestPro: (principal, meta) => requestPro(deps, principal, meta),
    createAdmin: (input) => createAdmin(deps, input),
    listUsers: (caller, input) => listUsers(deps, caller, input),
    countUsers: (caller, input) => countUsers(deps, caller, input),
    createUser: (caller, input, meta) => createUser(deps, caller, input, meta),
    getUser: (caller, id) => getUser(deps, caller, id),
    updateUser: (caller, id, input, meta) => updateUser(deps, caller, id, input, meta),
    deleteUser: (caller, id, meta) => deleteUser(deps, caller, id, meta),
    setUserRole: (caller, id, input, meta) => setUserRole(deps, caller, id, input, meta),
    lockUser: (caller, id, meta) => changeUserStatus(deps, caller, id, 'lock', meta),
    unlockUser: (caller, id, meta) => changeUserStatus(deps, caller, id, 'unlock', meta),
    suspendUser: (caller, id, meta) => changeUserStatus(deps, caller, id, 'suspend', meta),
    reactivateUser: (caller, id, meta) => changeUserStatus(deps, caller, id, 'reactivate', meta),
    decidePro: (caller, id, input, meta) => decidePro(deps, caller, id, input, meta),
    resetUserPassword: (caller, id, input, meta) => resetUserPassword(deps, caller, id, input, meta),
    bulkUsers: (caller, input, meta) => bulkUsers(deps, caller, input, meta),
    exportUsers: (caller, input) => exportUsers(deps, caller, input),
    listAuditEvents: (caller, input) => listAuditEvents(deps, caller, input),
  } satisfies TesseraApi as unknown as TesseraApi<Custom, CustomInput>;

  const verifyAccessToken = (token: string) => deps.accessTokens.verify(token);
  const checkHealth = () => checkStoreHealth(deps);
  const describeApi = openApiDocuments(() => routes, { title: `${resolved.appName} API`, version: '1.0.0', customProfile: resolved.profile.custom });
  // Callers may change their copy (e.g. merge it into the app's own document); the route's is shared.
  const openapi = (serverUrl: string) => structuredClone(describeApi(serverUrl));
  const routes = buildRoutes(describeApi);
  const httpDeps: HttpDeps = { api, authorizer: deps.authorizer, options: resolved, logger, verifyAccessToken, checkHealth };

  return {
    options: resolved,
    api,
    authorizer,
    outbox,
    handler: createHandler(httpDeps, routes),
    authenticate: (authorization) => authenticate(httpDeps, authorization),
    guard: (authorization, requirement, instance) => guard(httpDeps, authorization, requirement, instance),
    openapi,
    routes: routes.map(({ operationId, method, path }) => ({ operationId, method, path })),
    checkHealth,
    verifyAccessToken,
    can: (who, action, target) => authorizer.can(who && 'userId' in who ? { id: who.userId, role: who.role } : who, action, target),
    jwks: () => deps.accessTokens.jwks(),
    close: () => outbox.stop(),
  };
}
