/**
 * `@tessera/core`: the framework-agnostic core of Tessera.
 *
 * @packageDocumentation
 */
export { createTessera, type Tessera, type TesseraApi } from './create-tessera.js';
export { resolveOptions, tesseraOptionsSchema, type ResolvedOptions, type SigningKeyOptions, type TesseraOptions } from './options.js';
export {
  errorCodes,
  errorTable,
  isTesseraError,
  TesseraConfigError,
  TesseraError,
  type ErrorCode,
  type ErrorDetails,
  type ErrorPresentation,
  type FieldIssue,
} from './errors.js';
export { isUserRole, roleRank, roles, userRoles, type Role, type UserRole } from './auth/roles.js';
export {
  assignableRoles,
  builtInPermissions,
  can,
  createAuthorizer,
  defaultAuthorizer,
  type Actor,
  type Authorizer,
  type BuiltInAction,
  type PermissionGrants,
  type PermissionScope,
  type PermissionTable,
  type PermissionTarget,
} from './auth/permissions.js';
export { accessTokenType, generateSigningKey, type GeneratedSigningKey, type Principal, type SignedAccessToken } from './tokens/access-token.js';
export { hashToken, newRawToken, type RawToken, type TokenHash } from './tokens/opaque-token.js';
export type { PasswordHash, PasswordHasher } from './password/password-hasher.js';
export { checkNewPassword, normalizePassword, type PasswordContext, type PasswordPolicy, type PasswordRejection } from './password/password-policy.js';
export { haveIBeenPwnedChecker, PwnedPasswordsError, pwnedPasswordsRangeUrl, type HaveIBeenPwnedOptions } from './password/hibp.js';
export { normalizeEmail } from './email-address.js';
export { isUuid, newUuidV7, type UserId } from './ids.js';
export { cryptoRandom, silentLogger, systemClock, type Clock, type LogFields, type Logger, type RandomSource } from './ports/runtime.js';
export type { RateLimitCount, RateLimitStore } from './ports/rate-limit-store.js';
export { memoryRateLimitStore, type MemoryRateLimitStoreOptions } from './rate-limit/memory-rate-limit-store.js';
export {
  StoreConflictError,
  StoreUnavailableError,
  type AuditEventRecord,
  type AuditFilter,
  type AuditListQuery,
  type AuditRepository,
  type BootstrapRepository,
  type FailedLoginOutcome,
  type FailedLoginPolicy,
  type NewOutboxMessage,
  type NewRefreshToken,
  type NewUserRecord,
  type OneTimeTokenPurpose,
  type OneTimeTokenRecord,
  type OneTimeTokenRepository,
  type OutboxClaimRequest,
  type OutboxMessage,
  type OutboxRepository,
  type ProStatus,
  type RefreshTokenRepository,
  type RotationOutcome,
  type RotationRequest,
  type StoreRepositories,
  type TesseraStore,
  type UserFilter,
  type UserListPosition,
  type CountOptions,
  type UserListQuery,
  type UserPatch,
  type UserProfile,
  type UserRecord,
  type UserRepository,
  type UserSortField,
  type UserStatus,
} from './ports/store.js';
export type {
  DeliveredToken,
  EventConsumer,
  EventPayloads,
  EventSecrets,
  EventSecretsByType,
  EventType,
  EventUser,
  TesseraEvent,
} from './events/event-types.js';
export { isPermanentDeliveryFailure, OutboxDispatcher, PermanentDeliveryFailure, type DispatcherStartOptions, type DispatchReport } from './events/outbox-dispatcher.js';
export type { Caller, OperatorCaller, RequestMeta } from './services/service-deps.js';
export type { RegistrationResult } from './services/registration.js';
export { setUserRoleInputSchema, type SetUserRoleInput, type StatusChange } from './services/user-administration.js';
export { decideProInputSchema, type DecideProInput } from './services/pro-status.js';
export {
  bulkUsersInputSchema,
  exportUsersInputSchema,
  resetUserPasswordInputSchema,
  type BulkResult,
  type BulkUsersInput,
  type ExportUsersInput,
  type ResetUserPasswordInput,
} from './services/account-actions.js';
export { listAuditEventsInputSchema, type AuditEventView, type AuditPage, type ListAuditEventsInput } from './services/audit-listing.js';
export { countUsersInputSchema, listUsersInputSchema, userSortValues, type CountUsersInput, type ListUsersInput, type UserPage } from './services/user-listing.js';
export { generateUsername, isReserved, normalizeUsername, type UsernamePolicy } from './usernames/usernames.js';
export { defaultReservedUsernames, profileFieldNames } from './options.js';
export {
  changePasswordInputSchema,
  changeUsernameInputSchema,
  createAdminInputSchema,
  createUserInputSchema,
  deleteAccountInputSchema,
  emailInputSchema,
  loginInputSchema,
  refreshTokenInputSchema,
  registerInputSchema,
  requestEmailChangeInputSchema,
  resetPasswordInputSchema,
  sessionTokensSchema,
  tokenInputSchema,
  updateMeInputSchema,
  updateUserInputSchema,
  type ChangePasswordInput,
  type ChangeUsernameInput,
  type CreateAdminInput,
  type CreateUserInput,
  type DeleteAccountInput,
  type EmailInput,
  type LoginInput,
  type RefreshTokenInput,
  type RegisterInput,
  type RequestEmailChangeInput,
  type ResetPasswordInput,
  type SessionTokens,
  type TokenInput,
  type UpdateMeInput,
  type UpdateUserInput,
} from './schemas/account.js';
export { profileUpdateSchema, type ProfileUpdate } from './schemas/profile.js';
export { adminUserViewSchema, toAdminUserView, toUserView, userViewSchema, type AdminUserView, type UserView } from './schemas/user-view.js';
export { parseInput, toFieldIssues } from './validation.js';
export { authenticate, bearerToken, type AuthContext, type HandlerContext, type TesseraHandler } from './http/handler.js';
export { denial, type GuardDenial, type GuardOutcome, type GuardRequirement } from './http/guard.js';
export { problemHeaders, problemMediaType, problemResponse, problemType, responseSecurityHeaders, toProblem, type ProblemDetails } from './http/problem.js';
export type { OpenApiDocument } from './http/openapi.js';
export type { HealthReport } from './http/route.js';
export { csvRow } from './http/csv.js';
