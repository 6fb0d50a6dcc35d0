import { describe, expect, it } from 'vitest';
import type { UserId } from '@tessera/core';
import { exitCodes } from '../src/index.js';
import type { UserStats } from '../src/actions/stats-actions.js';
import { jsonOf, pgMemDatabase, runTessera, tesseraOn, testReader } from './cli-harness.js';

const day = 86_400_000;

describe('tessera stats (pg-mem)', () => {
  it('counts users by role, status, verification and pro status, and recent sign-ups and logins', async () => {
    const database = await pgMemDatabase();
    const t = await tesseraOn(database);
    const create = (email: string, extra: object = {}) => t.tessera.api.createUser(testReader, { email, ...extra });
    const ada = await create('ada@example.com', { role: 'ADMIN', emailVerified: true });
    await create('mia@example.com', { role: 'MANAGER', emailVerified: true });
    const bob = await create('bob@example.com');
    const old = await create('old@example.com');
    await t.tessera.api.suspendUser(testReader, bob.id);
    const now = Date.now();
    await database.store.users.update(ada.id as UserId, { lastLoginAt: new Date(now - 2 * day), updatedAt: new Date() });
    await database.store.users.update(bob.id as UserId, { lastLoginAt: new Date(now - 60_000), updatedAt: new Date() });
    await database.db.updateTable('tessera_users').set({ created_at: new Date(now - 10 * day), pro_status: 'pending' }).where('id', '=', old.id).execute();

    const result = await runTessera(['stats', '--json'], { database });
    expect(result.exitCode).toBe(exitCodes.ok);
    expect(jsonOf<UserStats>(result)).toEqual({
      total: 4,
      byRole: { ADMIN: 1, MANAGER: 1, AUTHENTICATED: 2 },
      byStatus: { active: 3, locked: 0, suspended: 1 },
      emailVerified: { verified: 2, unverified: 2 },
      byProStatus: { none: 3, pending: 1, approved: 0, rejected: 0, revoked: 0 },
      signUps: { last1Day: 3, last7Days: 3, last30Days: 4 },
      logins: { last1Day: 1, last7Days: 2, last30Days: 2 },
      at: expect.any(String),
    });

    const text = await runTessera(['stats'], { database });
    expect(text.stdout).toContain('users         4');
    expect(text.stdout).toContain('by role       ADMIN 1 · MANAGER 1 · AUTHENTICATED 2');
    expect(text.stdout).toContain('logins        last day 1 · last 7 days 2 · last 30 days 2');
  });

  it('counts an empty database', async () => {
    const database = await pgMemDatabase();
    expect(jsonOf<UserStats>(await runTessera(['stats', '--json'], { database })).total).toBe(0);
  });
});
