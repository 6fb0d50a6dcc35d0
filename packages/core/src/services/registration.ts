import type { UserRole } from '../auth/roles.js';
import { isTesseraError } from '../errors.js';
import { newUuidV7 } from '../ids.js';
import type { PasswordHash } from '../password/password-hasher.js';
import { checkNewPassword } from '../password/password-policy.js';
import type { StoreRepositories, UserRecord } from '../ports/store.js';
import { createAdminInputSchema, registerInputSchema, type CreateAdminInput, type RegisterInput } from '../schemas/account.js';
import type { ProfileUpdate } from '../schemas/profile.js';
import { toUserView, type CustomProfile, type UserView } from '../schemas/user-view.js';
import { withValidatedCustomProfile } from './custom-profile.js';
import { hashToken, newRawToken } from '../tokens/opaque-token.js';
import { checkChosenUsername, generateUsername, normalizeUsername } from '../usernames/usernames.js';
import { parseInput } from '../validation.js';
import { secondsFrom, toEventUser, transact, type RequestMeta, type ServiceDeps } from './service-deps.js';

/** What registration returns: the new user. The verification mail is on its way. */
export interface RegistrationResult<Custom extends CustomProfile = CustomProfile> {
  readonly user: UserView<Custom>;
}

/**
 * Registers a user with email and password. The password is hashed before anything is
 * written (so a taken address costs the same as a free one); the user, the verification
 * token and the `user.registered` event are written in one transaction.
 *
 * With `bootstrap.firstUserBecomesAdmin`, the one user who claims the bootstrap slot becomes
 * ADMIN: exactly one, however many register at once.
 *
 * Registrations are limited per client address (`rateLimits.register`). With
 * `registration.existingEmail: 'notify'`, a taken address also mails its owner a notice; the
 * service still throws `email_taken` (server code may know), and the HTTP route answers it
 * exactly as a new registration.
 *
 * @throws TesseraError `validation_failed`, `weak_password`, `email_taken`, `rate_limited`.
 */
export async function register(deps: ServiceDeps, input: RegisterInput, meta: RequestMeta = {}): Promise<RegistrationResult> {
  await deps.rateLimiter.consume('register', meta.ipAddress);
  const { email, password, username, profile } = parseInput(registerInputSchema, input);
  const chosenUsername = username === undefined ? undefined : chosenUsernameOf(deps, username, 'username');
  const passwordContext = { appName: deps.options.appName, email, username: chosenUsername };
  const passwordHash = await deps.hasher.hash(await checkNewPassword(deps.options.password, password, 'password', passwordContext));
  let user: UserRecord;
  try {
    user = await insertUserWithRetries(deps, chosenUsername, async (tx, assignedUsername) => {
      const role: UserRole = deps.options.bootstrap.firstUserBecomesAdmin && (await tx.bootstrap.claimFirstAdmin()) ? 'ADMIN' : 'AUTHENTICATED';
      const created = await insertUser(deps, tx, { email, username: assignedUsername, passwordHash, role, emailVerified: false, profile });
      await issueVerification(deps, tx, created, 'user.registered');
      return created;
    });
  } catch (error) {
    if (isTesseraError(error, 'email_taken') && deps.options.registration.existingEmail === 'notify') await noticeToOwner(deps, email);
    throw error;
  }
  deps.logger.info({ userId: user.id, role: user.role }, 'tessera: user registered');
  return { user: toUserView(user) };
}

/**
 * In `registration.existingEmail: 'notify'` mode, tells the owner of a taken address that
 * someone tried to register with it (at most `rateLimits.mailPerAccount` notices per window, so
 * nobody can flood a mailbox through the registration form).
 */
async function noticeToOwner(deps: ServiceDeps, email: string): Promise<void> {
  if (await deps.rateLimiter.count('mailPerAccount', email)) return;
  await transact(deps, async (tx) => {
    const owner = await tx.users.findByEmail(email);
    if (owner && owner.status !== 'suspended') await deps.events.publish(tx, 'user.registration_attempted', { user: toEventUser(owner) });
  });
}

/**
 * Creates an ADMIN with a verified address: the production way to make the first (or another)
 * administrator, used by the CLI. It also takes the bootstrap slot, so "first user becomes
 * admin" can never add a second bootstrap admin afterwards.
 *
 * @throws TesseraError `validation_failed`, `weak_password`, `email_taken`.
 */
export async function createAdmin(deps: ServiceDeps, input: CreateAdminInput): Promise<UserView> {
  const { email, password } = parseInput(createAdminInputSchema, input);
  const passwordHash = await deps.hasher.hash(await checkNewPassword(deps.options.password, password, 'password', { appName: deps.options.appName, email }));
  const user = await insertUserWithRetries(deps, undefined, async (tx, username) => {
    await tx.bootstrap.claimFirstAdmin();
    const created = await insertUser(deps, tx, { email, username, passwordHash, role: 'ADMIN', emailVerified: true });
    await tx.audit.append({
      id: newUuidV7(deps.clock, deps.random),
      at: deps.clock.now(),
      actorId: null,
      actorLabel: 'operator',
      action: 'user.created',
      targetId: created.id,
      before: null,
      after: { email: created.email, role: created.role },
      ipAddress: null,
      userAgent: null,
    });
    return created;
  });
  deps.logger.info({ userId: user.id }, 'tessera: admin created');
  return toUserView(user);
}

/** A user to insert. */
export interface UserDraft {
  readonly email: string;
  readonly username: string;
  readonly passwordHash: PasswordHash | null;
  readonly role: UserRole;
  readonly emailVerified: boolean;
  readonly profile?: ProfileUpdate | undefined;
}

/** Inserts a user with a fresh id, inside the caller's transaction. */
export async function insertUser(deps: ServiceDeps, tx: StoreRepositories, draft: UserDraft): Promise<UserRecord> {
  const now = deps.clock.now();
  const profile = withValidatedCustomProfile(deps, draft.profile, undefined);
  return tx.users.insert({
    id: newUuidV7(deps.clock, deps.random) as UserRecord['id'],
    email: draft.email,
    emailVerifiedAt: draft.emailVerified ? now : null,
    username: draft.username,
    passwordHash: draft.passwordHash,
    role: draft.role,
    createdAt: now,
    ...(profile && { profile }),
  });
}

const usernameAttempts = 8;

/**
 * Runs a user-creating transaction with a username: the chosen one, or a generated one drawn
 * again when it was taken (a unique violation aborts the whole transaction on Postgres, so it
 * is retried whole; concurrent registrations that draw the same name therefore both succeed).
 *
 * @throws TesseraError `username_taken` when a chosen username is taken.
 */
export async function insertUserWithRetries(
  deps: ServiceDeps,
  chosenUsername: string | undefined,
  work: (tx: StoreRepositories, username: string) => Promise<UserRecord>,
): Promise<UserRecord> {
  for (let attempt = 1; ; attempt += 1) {
    const username = chosenUsername ?? generateUsername(deps.options.usernames, deps.random);
    try {
      return await transact(deps, (tx) => work(tx, username));
    } catch (error) {
      if (chosenUsername !== undefined || !isTesseraError(error, 'username_taken') || attempt >= usernameAttempts) throw error;
    }
  }
}

/**
 * Normalises and validates a username the user chose.
 * @throws TesseraError `validation_failed` naming `field`.
 */
export function chosenUsernameOf(deps: ServiceDeps, raw: string, field: string): string {
  const username = normalizeUsername(raw);
  checkChosenUsername(deps.options.usernames, username, field);
  return username;
}

/** Issues a verification token (newest-only) and publishes the event that mails it. */
export async function issueVerification(
  deps: ServiceDeps,
  tx: StoreRepositories,
  user: UserRecord,
  type: 'user.registered' | 'user.verification_resent',
): Promise<void> {
  const now = deps.clock.now();
  const token = newRawToken(deps.random);
  const expiresAt = secondsFrom(now, deps.options.verification.tokenTtlSeconds);
  await tx.oneTimeTokens.issue({ tokenHash: await hashToken(token), userId: user.id, purpose: 'verify_email', email: user.email, expiresAt, createdAt: now });
  await deps.events.publish(tx, type, { user: toEventUser(user) }, { verification: { token, expiresAt: expiresAt.toISOString() } });
}

