import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { TesseraOptions, TesseraStore, UserId, UserRole } from '@tessera/core';
import { createTestTessera, goodPassword, testSigningKey, uniqueEmail, type StoreLeg, type TestTessera } from '../../src/fixtures.js';
import { seedUser } from '../../src/http/seed-user.js';
import { fastHash, fastHasher } from './fast-hasher.js';
import { forgeTokens, type ForgeryKind } from './forged-tokens.js';

/** The roles a signed-in caller can hold (ANONYMOUS is a request without a token). */
export const actorRoles = ['ADMIN', 'MANAGER', 'AUTHENTICATED'] as const satisfies readonly UserRole[];
export type ActorRole = (typeof actorRoles)[number];

/** Signed-in callers per role, and users to act on. */
export const actorSlots = 2;
export const targetSlots = 8;

/**
 * A value the request generator leaves symbolic: which seeded user's token, id or email, a
 * forged token, the seeded password. Resolved only when the request is sent, so a slot whose
 * user the fuzzer deleted (or demoted, or whose password it changed) is seeded anew and later
 * requests still reach the code behind authentication. Printed readably in counterexamples.
 */
export class WorldRef {
  constructor(
    readonly kind: 'bearer' | 'actorId' | 'actorEmail' | 'refreshToken' | 'targetId' | 'targetEmail' | 'mailedToken' | 'cursor' | 'forged' | 'goodPassword',
    readonly role: ActorRole | null = null,
    readonly slot = 0,
    readonly forgery: ForgeryKind | null = null,
  ) {}

  /** Whether the value is a credential that no response may ever echo. */
  get isSecret(): boolean {
    return ['bearer', 'refreshToken', 'mailedToken', 'forged', 'goodPassword'].includes(this.kind);
  }

  [fc.toStringMethod](): string {
    return `<${[this.kind, this.role, this.forgery ?? (this.kind === 'goodPassword' ? null : this.slot)].filter((part) => part !== null).join(':')}>`;
  }
}

interface Actor {
  id: string;
  email: string;
  accessToken: string;
  issuedAt: Date;
  refreshToken: string;
}

interface Target {
  id: string;
  email: string;
}

/** The Tessera under fuzz, its seeded users, and the values requests refer to. */
export interface FuzzWorld {
  readonly t: TestTessera;
  readonly store: TesseraStore;
  /** The resolved value of a reference. */
  resolve(ref: WorldRef): string;
  /** After a request that changed something: seeds anew the slots it may have spoiled. */
  repair(refs: readonly WorldRef[]): Promise<void>;
  /** How many slots were seeded anew (the run's own statistic). */
  readonly reseeded: number;
}

/**
 * Builds Tessera on one store of the leg with a fast hasher, and seeds per role two signed-in
 * users, plus targets in every status (locked, suspended, pro pending, unverified), mailed
 * tokens (verification, reset, email change) and real listing cursors.
 */
export async function createFuzzWorld(leg: StoreLeg, overrides: Partial<Omit<TesseraOptions, 'permissions'>> = {}): Promise<FuzzWorld> {
  const store = await leg.open();
  const t = await createTestTessera(store, {
    passwordHasher: fastHasher,
    // The X-Forwarded-For parsing is part of the surface: the mounts' loopback address is trusted.
    http: { trustedProxies: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] },
    rateLimits: { enabled: false },
    ...overrides,
  });
  const operator = { operator: 'fuzz' };
  let reseeded = 0;

  const newActor = async (role: ActorRole): Promise<Actor> => {
    // Made by an operator (no mails to follow) with a complete profile, so asking for pro status can succeed.
    const profile = { firstName: 'Fuzz', lastName: role, bio: 'Seeded for fuzzing.', location: 'Loopback' };
    const user = await t.tessera.api.createUser(operator, { email: uniqueEmail(`fuzz-${role.toLowerCase()}`), password: goodPassword, role, emailVerified: true, profile });
    const tokens = await t.tessera.api.login({ email: user.email, password: goodPassword });
    const principal = await t.tessera.verifyAccessToken(tokens.accessToken);
    if (!principal) throw new Error('a fresh access token did not verify');
    return { id: user.id, email: user.email, accessToken: tokens.accessToken, issuedAt: principal.issuedAt, refreshToken: tokens.refreshToken };
  };
  const newTarget = async (slot: number): Promise<Target> => {
    const kinds = [
      {},
      { role: 'MANAGER' },
      { role: 'ADMIN' },
      { status: 'locked' },
      { status: 'suspended' },
      { proStatus: 'pending' },
      { proStatus: 'approved' },
      {},
    ] as const;
    const user = await seedUser({ t, store }, { ...kinds[slot % kinds.length], email: uniqueEmail('fuzz-target') });
    return { id: user.id, email: user.email };
  };

  const actors = Object.fromEntries(await Promise.all(actorRoles.map(async (role) => [role, await sequence(actorSlots, () => newActor(role))] as const))) as Record<ActorRole, Actor[]>;
  const targets = await sequence(targetSlots, (slot) => newTarget(slot));

  // Mailed one-time tokens: verifications of unverified sign-ups, resets, an email change.
  for (let index = 0; index < 3; index += 1) await t.tessera.api.register({ email: uniqueEmail('fuzz-unverified'), password: goodPassword });
  for (const target of targets.slice(0, 2)) await t.tessera.api.forgotPassword({ email: target.email });
  const changer = await newActor('AUTHENTICATED');
  const changerPrincipal = (await t.tessera.verifyAccessToken(changer.accessToken))!;
  await t.tessera.api.requestEmailChange(changerPrincipal, { newEmail: uniqueEmail('fuzz-new-address'), password: goodPassword });
  await t.deliver();
  const mailedTokens = t.events.received.flatMap((event) => Object.values((event.secrets ?? {}) as Record<string, { token?: string }>).map((secret) => secret.token ?? '')).filter(Boolean);

  const firstPage = await t.tessera.api.listUsers(operator, { limit: 2 });
  const byEmail = await t.tessera.api.listUsers(operator, { limit: 2, sort: 'email' });
  const audit = await t.tessera.api.listAuditEvents(operator, { limit: 1 });
  const cursors = [firstPage.nextCursor, byEmail.nextCursor, audit.nextCursor].filter((cursor): cursor is string => cursor !== null);

  const key = await testSigningKey();
  const forged = forgeTokens({
    key,
    issuer: t.tessera.options.tokens.issuer,
    audience: t.tessera.options.tokens.audience,
    now: t.clock.now(),
    userId: actors.AUTHENTICATED[0]!.id,
    neverExistedId: randomUUID(),
  });

  const actorOf = (ref: WorldRef): Actor => actors[ref.role ?? 'AUTHENTICATED'][ref.slot % actorSlots]!;
  const targetOf = (ref: WorldRef): Target => targets[ref.slot % targetSlots]!;

  const isHealthy = async (actor: Actor, role: ActorRole): Promise<boolean> => {
    const user = await store.users.findById(actor.id as UserId);
    return (
      user !== null &&
      user.status === 'active' &&
      user.role === role &&
      user.email === actor.email &&
      user.emailVerifiedAt !== null &&
      user.passwordHash === fastHash(goodPassword) &&
      (user.lockedUntil === null || user.lockedUntil <= t.clock.now()) &&
      (user.sessionsValidAfter === null || user.sessionsValidAfter <= actor.issuedAt)
    );
  };

  return {
    t,
    store,
    get reseeded() {
      return reseeded;
    },
    resolve(ref) {
      switch (ref.kind) {
        case 'bearer':
          return actorOf(ref).accessToken;
        case 'actorId':
          return actorOf(ref).id;
        case 'actorEmail':
          return actorOf(ref).email;
        case 'refreshToken':
          return actorOf(ref).refreshToken;
        case 'targetId':
          return targetOf(ref).id;
        case 'targetEmail':
          return targetOf(ref).email;
        case 'mailedToken':
          return mailedTokens[ref.slot % mailedTokens.length]!;
        case 'cursor':
          return cursors[ref.slot % cursors.length]!;
        case 'forged':
          return forged[ref.forgery!];
        case 'goodPassword':
          return goodPassword;
      }
    },
    async repair(refs) {
      for (const ref of refs) {
        if ((ref.kind === 'bearer' || ref.kind === 'actorId' || ref.kind === 'actorEmail' || ref.kind === 'refreshToken') && ref.role !== null) {
          const slot = ref.slot % actorSlots;
          if (!(await isHealthy(actors[ref.role][slot]!, ref.role))) {
            actors[ref.role][slot] = await newActor(ref.role);
            reseeded += 1;
          }
        } else if (ref.kind === 'targetId' || ref.kind === 'targetEmail') {
          const slot = ref.slot % targetSlots;
          if ((await store.users.findById(targets[slot]!.id as UserId)) === null) {
            targets[slot] = await newTarget(slot);
            reseeded += 1;
          }
        }
      }
    },
  };
}

async function sequence<T>(count: number, make: (index: number) => Promise<T>): Promise<T[]> {
  const made: T[] = [];
  for (let index = 0; index < count; index += 1) made.push(await make(index));
  return made;
}
