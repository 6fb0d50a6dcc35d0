import { isTesseraError, normalizeUsername, type TesseraError, type UpdateUserInput, type UserRecord, type UserRole } from '@tessera/core';
import type { Session } from '../with-session.js';
import type { ColumnMapping } from './map-columns.js';
import type { CsvRecord } from './read-csv-records.js';
import { columnOf, type RowInput, type RowProblem } from './read-row-input.js';
import { generateTemporaryPassword } from './temporary-passwords.js';

/** How rows become users. */
export interface RowPlan {
  /** Whether the session's store rolls back (nothing is kept). */
  readonly dryRun: boolean;
  /** What to do with an address that already has an account. */
  readonly onExisting: 'skip' | 'update' | 'reject';
  /** New users without an `emailVerified` cell count as verified (no verification mail). */
  readonly verified: boolean;
  /** New users without a password get a "set your password" mail (an admin-started reset). */
  readonly invite: boolean;
  /** New users without a password get a random temporary one. */
  readonly temporaryPasswords: boolean;
  /** The role of rows without a role cell. */
  readonly defaultRole: UserRole;
}

/** What happened to one row. */
export type RowOutcome =
  | { readonly kind: 'created'; readonly line: number; readonly email: string; readonly id: string; readonly invited: boolean; readonly temporaryPassword?: string }
  | { readonly kind: 'updated' | 'unchanged' | 'skipped'; readonly line: number; readonly email: string; readonly id: string }
  | RejectedOutcome;

/** A row that was not imported, and why. */
export interface RejectedOutcome extends RowProblem {
  readonly kind: 'rejected';
  readonly line: number;
  readonly email: string | null;
  readonly fields: readonly string[];
}

/**
 * Imports one row through the services, exactly as the API would create (`createUser`) or
 * update (`updateUser`, `setUserRole`) the user, audited with the operator as actor. An
 * address with an account is skipped, updated or rejected as planned; what the service
 * refuses becomes a rejected row naming the column.
 *
 * @throws anything but a refusal (the database went away): the import stops.
 */
export async function importRow(session: Session, plan: RowPlan, mapping: ColumnMapping, record: CsvRecord, input: RowInput): Promise<RowOutcome> {
  try {
    return await createOrHandleExisting(session, plan, mapping, record, input, { afterRace: false });
  } catch (error) {
    if (!isTesseraError(error) || error.code === 'store_unavailable') throw error;
    return rejectedRow(record, input, problemOf(error, mapping));
  }
}

async function createOrHandleExisting(session: Session, plan: RowPlan, mapping: ColumnMapping, record: CsvRecord, input: RowInput, { afterRace }: { afterRace: boolean }): Promise<RowOutcome> {
  const existing = await session.database.store.users.findByEmail(input.normalizedEmail);
  if (existing) return plan.onExisting === 'reject' ? rejectedRow(record, input, alreadyExists(mapping)) : handleExisting(session, plan, record.line, input, existing);
  try {
    return await createUser(session, plan, record.line, input);
  } catch (error) {
    // Another process created the address between the lookup and the insert: look again, once.
    if (isTesseraError(error, 'email_taken') && !afterRace) return createOrHandleExisting(session, plan, mapping, record, input, { afterRace: true });
    throw error;
  }
}

function rejectedRow(record: CsvRecord, input: RowInput, problem: RowProblem): RejectedOutcome {
  return { kind: 'rejected', line: record.line, email: input.email, fields: record.fields, ...problem };
}

async function createUser(session: Session, plan: RowPlan, line: number, input: RowInput): Promise<RowOutcome> {
  const { api } = session.tessera;
  const { options } = session.tessera;
  const contextWords = [input.email.split('@')[0] ?? '', input.email.split('@')[0]?.split('+')[0] ?? '', input.username ?? '', options.appName, 'tessera'];
  const temporaryPassword = input.password === undefined && plan.temporaryPasswords ? generateTemporaryPassword(options.password.minLength, contextWords) : undefined;
  const password = input.password ?? temporaryPassword;
  const user = await api.createUser(session.caller, {
    email: input.email,
    ...(input.username !== undefined && { username: input.username }),
    role: (input.role ?? plan.defaultRole) as UserRole,
    // An invitation link proves the address when it is used; until then the account has no password.
    emailVerified: input.emailVerified ?? (plan.verified || plan.invite),
    ...(Object.keys(input.profile).length > 0 && { profile: input.profile }),
    ...(password !== undefined && { password }),
  });
  const invited = plan.invite && password === undefined;
  // A dry run rolled the user back: there is nobody to invite.
  if (invited && !plan.dryRun) await api.resetUserPassword(session.caller, user.id);
  return { kind: 'created', line, email: user.email, id: user.id, invited, ...(temporaryPassword !== undefined && { temporaryPassword }) };
}

/** Skips an existing account, or brings it in line with the row (never its password). */
async function handleExisting(session: Session, plan: RowPlan, line: number, input: RowInput, existing: UserRecord): Promise<RowOutcome> {
  if (plan.onExisting === 'skip') return { kind: 'skipped', line, email: existing.email, id: existing.id };
  const { api } = session.tessera;
  const current = await api.getUser(session.caller, existing.id);
  const profile = Object.fromEntries(Object.entries(input.profile).filter(([field, value]) => current.profile[field as keyof typeof current.profile] !== value));
  const patch: UpdateUserInput = {
    ...(input.username !== undefined && normalizeUsername(input.username) !== current.username && { username: input.username }),
    ...(input.emailVerified !== undefined && input.emailVerified !== current.emailVerified && { emailVerified: input.emailVerified }),
    ...(Object.keys(profile).length > 0 && { profile }),
  };
  const roleChanges = input.role !== undefined && input.role !== current.role;
  if (Object.keys(patch).length === 0 && !roleChanges) return { kind: 'unchanged', line, email: current.email, id: current.id };
  if (Object.keys(patch).length > 0) await api.updateUser(session.caller, current.id, patch);
  if (roleChanges) await api.setUserRole(session.caller, current.id, { role: input.role as UserRole });
  return { kind: 'updated', line, email: current.email, id: current.id };
}

function alreadyExists(mapping: ColumnMapping): RowProblem {
  return { column: columnOf(mapping, 'email'), code: 'email_taken', message: 'an account with this address exists already' };
}

/** The service's refusal, with each field named as the file names its column. */
function problemOf(error: TesseraError, mapping: ColumnMapping): RowProblem {
  const [first, ...others] = error.details?.fields ?? [];
  if (!first) return { column: null, code: error.code, message: error.message };
  const column = (path: string) => columnOf(mapping, path.replace(/^profile\./, '').split('.')[0] ?? '') ?? (path || null);
  return {
    column: column(first.path),
    code: error.code,
    message: [first.message, ...others.map((issue) => `${column(issue.path) ?? 'row'}: ${issue.message}`)].join('; '),
  };
}
