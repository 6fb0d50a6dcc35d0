import { isUuid, normalizeEmail, normalizeUsername } from '@tessera/core';
import { CliError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';
import type { Session } from './with-session.js';

/**
 * The id of the user an operator named by id, email address or username. Only the lookup
 * reads the store; what is then done to the user goes through the services.
 *
 * @throws CliError `notFound` when nobody has that email or username.
 */
export async function resolveUserId(session: Session, reference: string): Promise<string> {
  const trimmed = reference.trim();
  if (isUuid(trimmed)) return trimmed;
  const byEmail = trimmed.includes('@');
  const user = byEmail ? await session.database.store.users.findByEmail(normalizeEmail(trimmed)) : await session.database.store.users.findByUsername(normalizeUsername(trimmed));
  if (!user) throw new CliError(exitCodes.notFound, `No user has the ${byEmail ? 'email address' : 'username'} "${trimmed}".`, 'user_not_found');
  return user.id;
}
