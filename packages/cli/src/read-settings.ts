import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { CliError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';
import { libraryOptionsFrom, type LibraryFlags, type LibraryOptions } from './library-options.js';

/** The options every command takes (see `tessera --help`). */
export interface GlobalFlags extends LibraryFlags {
  readonly databaseUrl?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
  readonly operator?: string;
  readonly eventConsumers?: string;
}

/** Where the database is. */
export type Connection = { readonly kind: 'postgres'; readonly url: string } | { readonly kind: 'pglite'; readonly dataDir: string };

/** The flags and the environment, read once. */
export interface CliSettings {
  readonly json: boolean;
  /** `undefined` when neither a URL nor a data folder was given. */
  readonly connection: Connection | undefined;
  /** How the audit log names this operator, without the `operator:` prefix, e.g. `cli:alice`. */
  readonly operator: string;
  /** `TESSERA_EVENT_CONSUMERS` / `--event-consumers`, unparsed. */
  readonly eventConsumers: string | undefined;
  /** The app's `TESSERA_SECRET` (never a flag: flags show in `ps`). */
  readonly secret: string | undefined;
  /** The app's argon2 pepper, `TESSERA_PASSWORD_PEPPER` (never a flag). */
  readonly passwordPepper: string | undefined;
  readonly library: LibraryOptions;
}

/**
 * Reads the settings: a flag wins over its environment variable; `DATABASE_URL` wins over
 * `TESSERA_DATA_DIR`, as in the example apps.
 *
 * @throws CliError `usage` for both `--database-url` and `--data-dir`, or a malformed operator name.
 */
export function readSettings(flags: GlobalFlags, env: Readonly<Record<string, string | undefined>>, cwd: string): CliSettings {
  if (flags.databaseUrl !== undefined && flags.dataDir !== undefined) {
    throw new CliError(exitCodes.usage, 'Give either --database-url or --data-dir, not both.', 'conflicting_options');
  }
  const operator = flags.operator ?? nonEmpty(env.TESSERA_OPERATOR) ?? osUser(env);
  if (!/^[\w.@-]{1,64}$/.test(operator)) {
    throw new CliError(exitCodes.usage, 'The operator name may hold letters, digits, ".", "_", "@" and "-" (at most 64).', 'invalid_operator');
  }
  return {
    json: flags.json === true,
    connection: connectionOf(flags, env, cwd),
    operator: `cli:${operator}`,
    eventConsumers: flags.eventConsumers ?? env.TESSERA_EVENT_CONSUMERS,
    secret: nonEmpty(env.TESSERA_SECRET),
    passwordPepper: nonEmpty(env.TESSERA_PASSWORD_PEPPER),
    library: libraryOptionsFrom(flags, env),
  };
}

function connectionOf(flags: GlobalFlags, env: Readonly<Record<string, string | undefined>>, cwd: string): Connection | undefined {
  if (flags.databaseUrl !== undefined) return { kind: 'postgres', url: flags.databaseUrl };
  if (flags.dataDir !== undefined) return { kind: 'pglite', dataDir: resolve(cwd, flags.dataDir) };
  const url = nonEmpty(env.DATABASE_URL);
  if (url !== undefined) return { kind: 'postgres', url };
  const dataDir = nonEmpty(env.TESSERA_DATA_DIR);
  return dataDir === undefined ? undefined : { kind: 'pglite', dataDir: resolve(cwd, dataDir) };
}

function osUser(env: Readonly<Record<string, string | undefined>>): string {
  try {
    return userInfo().username;
  } catch {
    // A container user without a passwd entry has no name to read.
    return nonEmpty(env.USER) ?? 'unknown';
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
