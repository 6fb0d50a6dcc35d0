import { InvalidArgumentError, type Command } from 'commander';
import type { ListUsersInput, ProStatus, UserRole, UserStatus } from '@tessera/core';

/** The roles a filter takes (typed by core's; a test compares the lists, which the CLI keeps to load fast). */
export const filterRoles = ['ADMIN', 'MANAGER', 'AUTHENTICATED'] as const satisfies readonly UserRole[];
/** The account statuses a filter takes. */
export const filterStatuses = ['active', 'locked', 'suspended'] as const satisfies readonly UserStatus[];
/** The pro statuses a filter takes. */
export const filterProStatuses = ['none', 'pending', 'approved', 'rejected', 'revoked'] as const satisfies readonly ProStatus[];
/** The sorts of `listUsers` and `exportUsers`: a field, `-` in front for descending. */
export const userSorts = ['createdAt', '-createdAt', 'lastLoginAt', '-lastLoginAt', 'email', '-email', 'username', '-username'] as const;

/** The filter flags, as commander parsed them. */
export interface UserFilterFlags {
  readonly search?: string;
  readonly role?: UserRole[];
  readonly status?: UserStatus[];
  readonly pro?: ProStatus[];
  readonly verified?: boolean;
  readonly createdFrom?: Date;
  readonly createdTo?: Date;
  readonly lastLoginFrom?: Date;
  readonly lastLoginTo?: Date;
  readonly sort?: (typeof userSorts)[number];
}

/** Adds the API's user filters (`listUsers`, `exportUsers`) as flags. */
export function addUserFilterOptions(command: Command, { withSearchFlag }: { withSearchFlag: boolean }): Command {
  if (withSearchFlag) command.option('--search <text>', 'part of the email, username, first or last name (case-insensitive)');
  return command
    .option('--role <roles>', `comma-separated: ${filterRoles.join(', ')}`, listOf('role', filterRoles, (value) => value.toUpperCase()))
    .option('--status <statuses>', `comma-separated: ${filterStatuses.join(', ')}`, listOf('status', filterStatuses, (value) => value.toLowerCase()))
    .option('--pro <statuses>', `pro status, comma-separated: ${filterProStatuses.join(', ')}`, listOf('pro status', filterProStatuses, (value) => value.toLowerCase()))
    .option('--verified <true|false>', 'only verified (true) or unverified (false) email addresses', parseBoolean)
    .option('--created-from <date>', 'created at or after (ISO 8601 date or date-time, UTC without an offset)', parseInstant)
    .option('--created-to <date>', 'created at or before', parseInstant)
    .option('--last-login-from <date>', 'last login at or after', parseInstant)
    .option('--last-login-to <date>', 'last login at or before', parseInstant)
    .option('--sort <sort>', `${userSorts.join(', ')} (- for descending)`, oneOf('sort', userSorts));
}

/** The service input of the filter flags (named as `listUsers` / `exportUsers` name them). */
export function userFilterInput(flags: UserFilterFlags): Omit<ListUsersInput, 'limit' | 'cursor' | 'page' | 'includeTotal'> {
  return {
    ...(flags.search !== undefined && { search: flags.search }),
    ...(flags.role && { role: flags.role }),
    ...(flags.status && { status: flags.status }),
    ...(flags.pro && { proStatus: flags.pro }),
    ...(flags.verified !== undefined && { emailVerified: flags.verified }),
    ...(flags.createdFrom && { createdFrom: flags.createdFrom }),
    ...(flags.createdTo && { createdTo: flags.createdTo }),
    ...(flags.lastLoginFrom && { lastLoginFrom: flags.lastLoginFrom }),
    ...(flags.lastLoginTo && { lastLoginTo: flags.lastLoginTo }),
    ...(flags.sort && { sort: flags.sort }),
  };
}

/** Commander's parser for `true`/`false` (also `yes`/`no`, `1`/`0`). */
export function parseBoolean(text: string): boolean {
  const value = text.trim().toLowerCase();
  if (['true', 'yes', '1'].includes(value)) return true;
  if (['false', 'no', '0'].includes(value)) return false;
  throw new InvalidArgumentError('must be true or false.');
}

function parseInstant(text: string): Date {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text.trim());
  // Like the API: a date is midnight UTC, a date-time without an offset is UTC.
  const date = match ? new Date(`${match[1]}T${match[2] ?? '00:00'}${match[3] ?? 'Z'}`) : null;
  if (!date || Number.isNaN(date.getTime())) throw new InvalidArgumentError('must be an ISO 8601 date (2026-01-31) or date-time (2026-01-31T12:00:00Z).');
  return date;
}

function listOf<Value extends string>(name: string, values: readonly Value[], normalize: (value: string) => string) {
  return (text: string): Value[] => {
    const items = text.split(',').map((item) => normalize(item.trim())).filter(Boolean);
    const wrong = items.find((item) => !(values as readonly string[]).includes(item));
    if (items.length === 0 || wrong !== undefined) throw new InvalidArgumentError(`${wrong ?? '(empty)'} is not a ${name}; use ${values.join(', ')}.`);
    return [...new Set(items)] as Value[];
  };
}

function oneOf<Value extends string>(name: string, values: readonly Value[]) {
  return (text: string): Value => {
    if (!(values as readonly string[]).includes(text)) throw new InvalidArgumentError(`is not a ${name}; use ${values.join(', ')}.`);
    return text as Value;
  };
}
