import { InvalidArgumentError, type Command } from 'commander';
import type { TesseraOptions } from '@tessera/core';
import { CliError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';

/** The library options `tessera` takes, as flags and as the app's environment variables. */
export interface LibraryFlags {
  readonly appName?: string;
  readonly passwordMinLength?: number;
  readonly passwordMaxLength?: number;
  readonly usernameMinLength?: number;
  readonly usernameMaxLength?: number;
  readonly verificationTtlSeconds?: number;
  readonly passwordResetTtlSeconds?: number;
}

/** The part of Tessera's options object that the flags and environment set. */
export type LibraryOptions = Pick<TesseraOptions, 'appName' | 'password' | 'usernames' | 'verification' | 'passwordReset'>;

type Key = keyof LibraryFlags;

/** Each option: its flag, its environment variable, and what it means (the library's words). */
const libraryOptions: ReadonlyArray<{ key: Key; flag: string; env: string; kind: 'text' | 'integer'; description: string }> = [
  { key: 'appName', flag: '--app-name <name>', env: 'TESSERA_APP_NAME', kind: 'text', description: 'the product name (refused as part of a password)' },
  { key: 'passwordMinLength', flag: '--password-min-length <n>', env: 'TESSERA_PASSWORD_MIN_LENGTH', kind: 'integer', description: 'shortest password accepted (default 15)' },
  { key: 'passwordMaxLength', flag: '--password-max-length <n>', env: 'TESSERA_PASSWORD_MAX_LENGTH', kind: 'integer', description: 'longest password accepted (default 256)' },
  { key: 'usernameMinLength', flag: '--username-min-length <n>', env: 'TESSERA_USERNAME_MIN_LENGTH', kind: 'integer', description: 'shortest username accepted (default 3)' },
  { key: 'usernameMaxLength', flag: '--username-max-length <n>', env: 'TESSERA_USERNAME_MAX_LENGTH', kind: 'integer', description: 'longest username accepted (default 30)' },
  { key: 'verificationTtlSeconds', flag: '--verification-ttl-seconds <n>', env: 'TESSERA_VERIFICATION_TTL_SECONDS', kind: 'integer', description: 'lifetime of a verification link sent by this command (default 86400)' },
  { key: 'passwordResetTtlSeconds', flag: '--password-reset-ttl-seconds <n>', env: 'TESSERA_PASSWORD_RESET_TTL_SECONDS', kind: 'integer', description: 'lifetime of a "set your password" link sent by this command (default 1800, at most 86400)' },
];

/** Adds the library options to a command, each naming its environment variable in the help. */
export function addLibraryOptions(command: Command): Command {
  for (const option of libraryOptions) {
    const description = `${option.description} [env ${option.env}]`;
    if (option.kind === 'integer') command.option(option.flag, description, parseWholeNumber);
    else command.option(option.flag, description);
  }
  return command;
}

/**
 * The options object fragment from the flags, falling back to the environment. The library
 * validates the values (and names a wrong one) when Tessera is created.
 *
 * @throws CliError `usage` for an environment variable that is not a whole number.
 */
export function libraryOptionsFrom(flags: LibraryFlags, env: Readonly<Record<string, string | undefined>>): LibraryOptions {
  const value = <K extends Key>(key: K): LibraryFlags[K] => {
    const option = libraryOptions.find((candidate) => candidate.key === key)!;
    const fromEnv = env[option.env];
    if (flags[key] !== undefined || fromEnv === undefined || fromEnv === '') return flags[key];
    if (option.kind === 'text') return fromEnv as LibraryFlags[K];
    if (!/^\d{1,9}$/.test(fromEnv)) throw new CliError(exitCodes.usage, `${option.env} must be a whole number, not "${fromEnv}".`, 'invalid_environment');
    return Number(fromEnv) as LibraryFlags[K];
  };
  const appName = value('appName');
  const password = definedOnly({ minLength: value('passwordMinLength'), maxLength: value('passwordMaxLength') });
  const usernames = definedOnly({ minLength: value('usernameMinLength'), maxLength: value('usernameMaxLength') });
  const verification = definedOnly({ tokenTtlSeconds: value('verificationTtlSeconds') });
  const passwordReset = definedOnly({ tokenTtlSeconds: value('passwordResetTtlSeconds') });
  return {
    ...(appName !== undefined && { appName }),
    ...(password && { password }),
    ...(usernames && { usernames }),
    ...(verification && { verification }),
    ...(passwordReset && { passwordReset }),
  };
}

/** Commander's parser for a whole-number flag. */
export function parseWholeNumber(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new InvalidArgumentError('must be a whole number.');
  return Number(text);
}

function definedOnly<T extends Record<string, number | undefined>>(group: T): { [K in keyof T]: Exclude<T[K], undefined> } | undefined {
  const entries = Object.entries(group).filter(([, value]) => value !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as { [K in keyof T]: Exclude<T[K], undefined> });
}
