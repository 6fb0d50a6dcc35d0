import { isTesseraError, type ErrorCode, type FieldIssue } from '@tessera/core';
import { CliError } from './cli-error.js';
import { exitCodes, type ExitCode } from './exit-codes.js';

/** A failed command as the operator (or a script, with `--json`) is told about it. */
export interface Failure {
  readonly exitCode: ExitCode;
  /** Stable: a Tessera error code, or the CLI's own (e.g. `missing_database`). */
  readonly code: string;
  readonly message: string;
  readonly fields?: readonly FieldIssue[];
}

/** Tessera error codes that mean "refused" rather than "broken". */
const refusals: ReadonlySet<ErrorCode> = new Set([
  'forbidden',
  'last_admin',
  'conflict',
  'validation_failed',
  'weak_password',
  'email_taken',
  'username_taken',
  'unauthenticated',
]);

const unreachable = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', '57P01', '57P03', '3D000', '28P01', '28000']);

/** Classifies any error a command threw into an exit code, a code and a message. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof CliError) return { exitCode: error.exitCode, code: error.code, message: error.message };
  // By name: `instanceof` fails when two copies of core are loaded.
  if (error instanceof Error && error.name === 'TesseraConfigError') return { exitCode: exitCodes.usage, code: 'invalid_options', message: error.message };
  if (isTesseraError(error)) {
    const fields = error.details?.fields;
    const exitCode = error.code === 'user_not_found' ? exitCodes.notFound : error.code === 'store_unavailable' ? exitCodes.unavailable : refusals.has(error.code) ? exitCodes.refused : exitCodes.failure;
    const detail = fields && fields.length > 0 ? `: ${fields.map((field) => `${field.path || 'input'} ${field.message}`).join('; ')}` : '';
    return { exitCode, code: error.code, message: `${error.message}${detail}`, ...(fields && { fields }) };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if ((error instanceof Error && error.name === 'StoreUnavailableError') || (typeof code === 'string' && unreachable.has(code))) {
    return { exitCode: exitCodes.unavailable, code: 'database_unavailable', message: `The database is unavailable: ${messageOf(error)}` };
  }
  if (code === '42P01') {
    return { exitCode: exitCodes.unavailable, code: 'not_migrated', message: `A Tessera table is missing (${messageOf(error)}): run \`tessera migrate latest\`.` };
  }
  return { exitCode: exitCodes.failure, code: 'unexpected', message: messageOf(error) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
