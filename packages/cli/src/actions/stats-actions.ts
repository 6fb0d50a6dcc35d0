import type { CountUsersInput } from '@tessera/core';
import type { CommandContext } from '../command-context.js';
import { filterProStatuses, filterRoles, filterStatuses } from '../user-filter-options.js';
import { withSession, type Session } from '../with-session.js';

/** What `tessera stats` reports. */
export interface UserStats {
  readonly total: number;
  readonly byRole: Record<string, number>;
  readonly byStatus: Record<string, number>;
  readonly emailVerified: { readonly verified: number; readonly unverified: number };
  readonly byProStatus: Record<string, number>;
  readonly signUps: RecentCounts;
  readonly logins: RecentCounts;
  /** When the counts were taken (the windows end here). */
  readonly at: string;
}

/** Users in the last day, week and month. */
export interface RecentCounts {
  readonly last1Day: number;
  readonly last7Days: number;
  readonly last30Days: number;
}

const day = 86_400_000;

/** Counts users exactly through `countUsers` (the same filters and permission rule as the API). */
export async function showStats(context: CommandContext): Promise<void> {
  await withSession(context, { queuesSecretMail: false }, async (session) => {
    const now = new Date();
    const since = (days: number) => new Date(now.getTime() - days * day);
    const count = countOf(session);
    const countEach = async <Value extends string>(values: readonly Value[], filter: (value: Value) => CountUsersInput) =>
      Object.fromEntries(await Promise.all(values.map(async (value) => [value, await count(filter(value))] as const))) as Record<Value, number>;
    const recent = async (field: 'createdFrom' | 'lastLoginFrom'): Promise<RecentCounts> => ({
      last1Day: await count({ [field]: since(1) }),
      last7Days: await count({ [field]: since(7) }),
      last30Days: await count({ [field]: since(30) }),
    });
    const stats: UserStats = {
      total: await count({}),
      byRole: await countEach(filterRoles, (role) => ({ role: [role] })),
      byStatus: await countEach(filterStatuses, (status) => ({ status: [status] })),
      emailVerified: { verified: await count({ emailVerified: true }), unverified: await count({ emailVerified: false }) },
      byProStatus: await countEach(filterProStatuses, (proStatus) => ({ proStatus: [proStatus] })),
      signUps: await recent('createdFrom'),
      logins: await recent('lastLoginFrom'),
      at: now.toISOString(),
    };
    session.output.result(stats, () => describeStats(stats));
  });
}

function countOf(session: Session) {
  return (filter: CountUsersInput): Promise<number> => session.tessera.api.countUsers(session.caller, filter);
}

function describeStats(stats: UserStats): string {
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([name, value]) => `${name} ${value}`)
      .join(' · ');
  const recent = (counts: RecentCounts) => `last day ${counts.last1Day} · last 7 days ${counts.last7Days} · last 30 days ${counts.last30Days}`;
  return [
    `users         ${stats.total}`,
    `by role       ${list(stats.byRole)}`,
    `by status     ${list(stats.byStatus)}`,
    `email         verified ${stats.emailVerified.verified} · unverified ${stats.emailVerified.unverified}`,
    `pro status    ${list(stats.byProStatus)}`,
    `sign-ups      ${recent(stats.signUps)}`,
    `logins        ${recent(stats.logins)}`,
  ].join('\n');
}
