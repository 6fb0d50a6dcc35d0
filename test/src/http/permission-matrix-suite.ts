import { assignableRoles, userRoles, type AdminUserView, type BuiltInAction, type UserId, type UserRole } from '@tessera/core';
import { isDeepStrictEqual } from 'node:util';
import { expect, it } from 'vitest';
import { uniqueEmail } from '../fixtures.js';
import { signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectedUserLinks, granted, type OracleActor } from './permission-oracle.js';
import { send } from './requests.js';
import { readUser, seedUser, userExists, type SeedOptions } from './seed-user.js';

type CallerRole = 'ANONYMOUS' | UserRole;
type TargetKind = 'self' | UserRole;

interface Caller {
  readonly role: CallerRole;
  readonly actor: OracleActor;
  readonly token: string | undefined;
}

/** One targeted operation as the matrix drives it. */
interface TargetedOperation {
  readonly action: BuiltInAction;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** The state every target starts in (`self` keeps its own, except the pro status). */
  readonly seed?: SeedOptions;
  readonly successStatus: number;
  /** A further condition besides the table (e.g. a role the caller may hand out). */
  readonly alsoRequires?: (caller: Caller) => boolean;
  /** Whether the target after a success shows the operation's effect. */
  readonly applied: (after: AdminUserView | null) => boolean;
  readonly label?: string;
}

const targetKinds: readonly TargetKind[] = ['self', ...userRoles];

/** The anonymous caller and one signed-in caller per role, plus a second admin no test touches. */
async function callersOf(context: HttpSuiteContext): Promise<Caller[]> {
  await seedUser(context, { role: 'ADMIN' });
  const callers: Caller[] = [{ role: 'ANONYMOUS', actor: null, token: undefined }];
  for (const role of userRoles) {
    const { user, tokens } = await signIn(context.t, { role });
    callers.push({ role, actor: { id: user.id, role }, token: tokens.accessToken });
  }
  return callers;
}

function expectedOutcome(caller: Caller, allowed: boolean, successStatus: number): string {
  if (caller.actor === null) return '401 unauthenticated';
  return allowed ? String(successStatus) : '403 forbidden';
}

async function outcomeOf(response: Response): Promise<{ outcome: string; body: Record<string, unknown> | null }> {
  const text = await response.text();
  const body = text === '' ? null : (JSON.parse(text) as Record<string, unknown>);
  if (response.status < 400) return { outcome: String(response.status), body };
  const isProblem = /^application\/problem\+json/.test(response.headers.get('content-type') ?? '') && body?.status === response.status;
  return { outcome: `${response.status} ${isProblem ? String(body.code) : 'not-a-problem'}`, body };
}

/**
 * Runs one targeted operation for every caller on every kind of target (fresh targets each
 * time), and asserts in one comparison the status each got, that a denial changed nothing,
 * and that a success did what it says and linked only to what the caller may do next.
 */
async function runMatrix(context: HttpSuiteContext, callers: readonly Caller[], operation: TargetedOperation): Promise<void> {
  const { app, t, store } = context;
  const actual: Record<string, string> = {};
  const expected: Record<string, string> = {};
  for (const caller of callers) {
    for (const kind of targetKinds) {
      if (kind === 'self' && caller.actor === null) continue;
      let target: AdminUserView;
      if (kind === 'self') {
        const proStatus = operation.seed?.proStatus;
        if (proStatus !== undefined) await store.users.update(caller.actor!.id as UserId, { proStatus, proStatusChangedAt: t.clock.now(), updatedAt: t.clock.now() });
        target = await readUser(t, caller.actor!.id);
      } else {
        target = await seedUser(context, { ...operation.seed, role: kind });
      }
      const key = `${caller.role} → ${kind}${operation.label ?? ''}`;
      const allowed = granted(operation.action, caller.actor, target) && (operation.alsoRequires?.(caller) ?? true);
      const path = operation.path.replace('{id}', target.id);
      const response = await send(app, operation.method, `/auth${path}`, { ...(caller.token !== undefined && { token: caller.token }), ...(operation.body !== undefined && { json: operation.body }) });
      const { outcome, body } = await outcomeOf(response);
      const after = (await userExists(t, target.id)) ? await readUser(t, target.id) : null;
      expected[key] = `${expectedOutcome(caller, allowed, operation.successStatus)}: ${allowed && caller.actor ? 'applied' : 'unchanged'}`;
      let effect: string;
      if (response.status >= 400) effect = isDeepStrictEqual(after, target) ? 'unchanged' : 'CHANGED DESPITE DENIAL';
      else effect = operation.applied(after) ? 'applied' : 'NOT APPLIED';
      if (body !== null && response.status === 200 && after !== null) {
        if (!isDeepStrictEqual(body._links, expectedUserLinks(caller.actor, after))) effect += ` with wrong _links ${JSON.stringify(body._links)}`;
      }
      actual[key] = `${outcome}: ${effect}`;
    }
  }
  expect(actual).toEqual(expected);
}

/** Every role × every user-management operation, allowed or denied exactly as the permission table says. */
export function permissionMatrixSuite(context: HttpSuiteContext): void {
  it('lets exactly the roles the table grants list users, and create users of exactly the roles each may hand out', async () => {
    const { app, t } = context;
    const callers = await callersOf(context);
    const actual: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const caller of callers) {
      const token = caller.token === undefined ? {} : { token: caller.token };
      actual[`${caller.role} lists`] = (await outcomeOf(await send(app, 'GET', '/auth/users', token))).outcome;
      expected[`${caller.role} lists`] = expectedOutcome(caller, granted('users:list', caller.actor), 200);
      for (const role of userRoles) {
        const email = uniqueEmail('matrix');
        const key = `${caller.role} creates ${role}`;
        const { outcome } = await outcomeOf(await send(app, 'POST', '/auth/users', { ...token, json: { email, role, emailVerified: true } }));
        const created = (await t.tessera.api.listUsers({ operator: 'test' }, { search: email })).items;
        actual[key] = `${outcome}: ${created.map((user) => user.role).join(',') || 'none created'}`;
        const allowed = granted('users:create', caller.actor) && caller.role !== 'ANONYMOUS' && assignableRoles[caller.role].includes(role);
        expected[key] = `${expectedOutcome(caller, allowed, 201)}: ${allowed ? role : 'none created'}`;
      }
    }
    expect(actual).toEqual(expected);
  });

  it('reads users (getUser) exactly as the table grants, with links limited to what the caller may do', async () => {
    await runMatrix(context, await callersOf(context), { action: 'users:read', method: 'GET', path: '/users/{id}', successStatus: 200, applied: (after) => after !== null });
  });

  it('updates users (updateUser) exactly as the table grants', async () => {
    const body = { profile: { location: 'Matrixville' } };
    await runMatrix(context, await callersOf(context), { action: 'users:update', method: 'PATCH', path: '/users/{id}', body, successStatus: 200, applied: (after) => after?.profile.location === 'Matrixville' });
  });

  it('deletes users (deleteUser) exactly as the table grants', async () => {
    await runMatrix(context, await callersOf(context), { action: 'users:delete', method: 'DELETE', path: '/users/{id}', successStatus: 204, applied: (after) => after === null });
  });

  it('changes roles (setUserRole) exactly as the table grants and only to roles the caller may hand out', async () => {
    const callers = await callersOf(context);
    for (const role of userRoles) {
      await runMatrix(context, callers, {
        action: 'users:set-role',
        method: 'PUT',
        path: '/users/{id}/role',
        body: { role },
        label: ` to ${role}`,
        successStatus: 200,
        alsoRequires: (caller) => caller.role !== 'ANONYMOUS' && assignableRoles[caller.role].includes(role),
        applied: (after) => after?.role === role,
      });
    }
  });

  const statusOperations = [
    ['lockUser', 'users:lock', 'lock', undefined, 'locked'],
    ['unlockUser', 'users:unlock', 'unlock', 'locked', 'active'],
    ['suspendUser', 'users:suspend', 'suspend', undefined, 'suspended'],
    ['reactivateUser', 'users:reactivate', 'reactivate', 'suspended', 'active'],
  ] as const;
  for (const [operationId, action, path, from, to] of statusOperations) {
    it(`changes status (${operationId}) exactly as the table grants`, async () => {
      await runMatrix(context, await callersOf(context), {
        action,
        method: 'POST',
        path: `/users/{id}/${path}`,
        ...(from !== undefined && { seed: { status: from } }),
        successStatus: 200,
        applied: (after) => after?.status === to,
      });
    });
  }

  it('decides on pro status (decidePro) exactly as the table grants: approve and reject for pro:decide, revoke for pro:revoke', async () => {
    const callers = await callersOf(context);
    const decisions = [
      ['approve', 'pro:decide', 'pending', 'approved'],
      ['reject', 'pro:decide', 'pending', 'rejected'],
      ['revoke', 'pro:revoke', 'approved', 'revoked'],
    ] as const;
    for (const [decision, action, from, to] of decisions) {
      await runMatrix(context, callers, {
        action,
        method: 'POST',
        path: '/users/{id}/pro-decision',
        body: { decision },
        label: ` (${decision})`,
        seed: { proStatus: from },
        successStatus: 200,
        applied: (after) => after?.pro.status === to,
      });
    }
  });
}
