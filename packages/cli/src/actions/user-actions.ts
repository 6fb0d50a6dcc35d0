import type { AdminUserView, StatusChange, UserRole } from '@tessera/core';
import type { CommandContext } from '../command-context.js';
import type { UserFindOptions } from '../commands/user-command.js';
import { confirmDestructive } from '../confirm-destructive.js';
import { describeUser, userTable } from '../describe-user.js';
import { userFilterInput } from '../user-filter-options.js';
import { resolveUserId } from '../resolve-user-id.js';
import { withSession, type Session } from '../with-session.js';

/** Lists users through `listUsers`: a table and how to get the next page, or the page as JSON. */
export async function findUsers(context: CommandContext, options: UserFindOptions): Promise<void> {
  await withSession(context, { queuesSecretMail: false }, async ({ tessera, caller, output }) => {
    const page = await tessera.api.listUsers(caller, {
      ...userFilterInput(options),
      ...(options.limit !== undefined && { limit: options.limit }),
      ...(options.page !== undefined && { page: options.page }),
      ...(options.cursor !== undefined && { cursor: options.cursor }),
      includeTotal: options.total === true,
    });
    output.result(page, () => {
      if (page.items.length === 0) return 'No users match.';
      const count = `${page.items.length} user${page.items.length === 1 ? '' : 's'}${page.total === null ? '' : ` of ${page.total}${page.totalIsExact ? '' : '+'}`}.`;
      const next = page.nextCursor ? ` Next page: --cursor ${page.nextCursor}` : page.page !== null && page.hasNext ? ` Next page: --page ${page.page + 1}` : '';
      return `${userTable(page.items)}${count}${next}`;
    });
  });
}

/** Shows one user through `getUser`. */
export async function showUser(context: CommandContext, reference: string): Promise<void> {
  await withSession(context, { queuesSecretMail: false }, async (session) => {
    const user = await session.tessera.api.getUser(session.caller, await resolveUserId(session, reference));
    session.output.result(user, () => describeUser(user));
  });
}

/** Changes a role through `setUserRole` (audited with the operator as actor). */
export async function setRole(context: CommandContext, reference: string, role: UserRole): Promise<void> {
  await withSession(context, { queuesSecretMail: false }, async (session) => {
    const user = await session.tessera.api.setUserRole(session.caller, await resolveUserId(session, reference), { role });
    reportChange(session, user, `${user.email} is now ${user.role}.`);
  });
}

/** Locks, unlocks, suspends or reactivates through the matching service (audited). */
export async function changeStatus(context: CommandContext, reference: string, change: StatusChange): Promise<void> {
  await withSession(context, { queuesSecretMail: false }, async (session) => {
    const id = await resolveUserId(session, reference);
    const { api } = session.tessera;
    const user =
      change === 'lock'
        ? await api.lockUser(session.caller, id)
        : change === 'unlock'
          ? await api.unlockUser(session.caller, id)
          : change === 'suspend'
            ? await api.suspendUser(session.caller, id)
            : await api.reactivateUser(session.caller, id);
    reportChange(session, user, `${user.email}: ${pastTense[change]}, status ${user.status}.`);
  });
}

/** Deletes through `deleteUser` (erasure and audit included), after confirmation. */
export async function deleteUser(context: CommandContext, reference: string, options: { force?: boolean }): Promise<void> {
  await withSession(context, { queuesSecretMail: false }, async (session) => {
    const user = await session.tessera.api.getUser(session.caller, await resolveUserId(session, reference));
    await confirmDestructive(session, { force: options.force === true, what: `delete the user ${user.email} (${user.id}) and erase their personal data`, answer: user.email });
    await session.tessera.api.deleteUser(session.caller, user.id);
    warnWithoutConsumers(session);
    session.output.result({ deleted: { id: user.id, email: user.email } }, () => `Deleted ${user.email} (${user.id}).`);
  });
}

const pastTense: Readonly<Record<StatusChange, string>> = { lock: 'locked', unlock: 'unlocked', suspend: 'suspended', reactivate: 'reactivated' };

function reportChange(session: Session, user: AdminUserView, summary: string): void {
  warnWithoutConsumers(session);
  session.output.result(user, () => summary);
}

/** The app mails users about these changes only when their events reach its consumers. */
function warnWithoutConsumers(session: Session): void {
  if (!session.events.isConfigured) {
    session.output.warn("TESSERA_EVENT_CONSUMERS is not set, so the app's consumers (its mailer) get no event of this change and the user is not notified.");
  }
}
