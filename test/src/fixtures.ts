import {
  createTessera,
  generateSigningKey,
  type Clock,
  type EventConsumer,
  type EventType,
  type GeneratedSigningKey,
  type PasswordHash,
  type PasswordHasher,
  type Tessera,
  type TesseraEvent,
  type TesseraOptions,
  type TesseraStore,
} from '@tessera/core';
import { argon2idHasher } from '@tessera/core/argon2';

/** What a store leg (one database engine) provides to the suites. */
export interface StoreLeg {
  /** e.g. `pg-mem`, `postgres`, `pglite`. */
  readonly name: string;
  /** Whether statements really run concurrently (so races can be observed). */
  readonly isConcurrent: boolean;
  /** A store on an empty, migrated database. */
  open(): Promise<TesseraStore>;
  /** Everything the leg opened is closed. */
  close(): Promise<void>;
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = new Date('2026-11-24T12:00:00.000Z')) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(seconds: number): void {
    this.#now += seconds * 1000;
  }
}

/** An event consumer that keeps every event it receives. */
export class CapturingConsumer implements EventConsumer {
  readonly name: string;
  readonly events = 'all' as const;
  readonly received: TesseraEvent[] = [];
  /** When set, `handle` rejects with it (to exercise retries). */
  failWith: Error | undefined;

  constructor(name = 'capture') {
    this.name = name;
  }

  async handle(event: TesseraEvent): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.received.push(event);
  }

  /** Every received event of one type, optionally about one email address. */
  ofType<T extends EventType>(type: T, email?: string): Array<TesseraEvent<T>> {
    return this.received.filter((event) => event.type === type && (email === undefined || event.payload.user.email === email)) as Array<TesseraEvent<T>>;
  }
}

/** A hasher that counts its calls: asserts work counts instead of timing responses. */
export class CountingHasher implements PasswordHasher {
  hashes = 0;
  verifications = 0;
  readonly #inner: PasswordHasher;

  constructor(inner: PasswordHasher) {
    this.#inner = inner;
  }

  async hash(password: string): Promise<PasswordHash> {
    this.hashes += 1;
    return this.#inner.hash(password);
  }

  async verify(hash: PasswordHash, password: string): Promise<boolean> {
    this.verifications += 1;
    return this.#inner.verify(hash, password);
  }

  needsRehash(hash: PasswordHash): boolean {
    return this.#inner.needsRehash(hash);
  }
}

let signingKey: Promise<GeneratedSigningKey> | undefined;

/** One Ed25519 key for the whole test process. */
export function testSigningKey(): Promise<GeneratedSigningKey> {
  return (signingKey ??= generateSigningKey('test-key'));
}

/** The argon2id hasher at production parameters (tests take the production path). */
export const productionHasher = argon2idHasher();

/** A Tessera instance under test, with its clock, hasher and captured events. */
export interface TestTessera {
  readonly tessera: Tessera;
  readonly clock: ManualClock;
  readonly hasher: CountingHasher;
  readonly events: CapturingConsumer;
  /** Delivers every due outbox message to the consumers. */
  deliver(): Promise<void>;
}

/** Builds Tessera on a store with test defaults; any option can be overridden. */
export async function createTestTessera(store: TesseraStore, overrides: Partial<Omit<TesseraOptions, 'permissions'>> = {}): Promise<TestTessera> {
  const clock = new ManualClock();
  const hasher = new CountingHasher(productionHasher);
  const events = new CapturingConsumer();
  const tessera = createTessera({
    store,
    passwordHasher: hasher,
    secret: 'test-secret-that-is-at-least-32-characters-long',
    tokens: { keys: [await testSigningKey()] },
    clock,
    events: { consumers: [events] },
    // Suites sign many users in from one address; the limits have suites of their own, which
    // turn them on (and give the store) through `overrides.rateLimits`.
    rateLimits: { enabled: false },
    ...overrides,
  });
  return {
    tessera,
    clock,
    hasher,
    events,
    deliver: async () => void (await tessera.outbox.drain()),
  };
}

/** A fresh store of the leg and a Tessera instance on it: the usual `beforeEach` of a suite. */
export async function openTestTessera(leg: StoreLeg): Promise<{ store: TesseraStore; t: TestTessera }> {
  const store = await leg.open();
  return { store, t: await createTestTessera(store) };
}

let counter = 0;

/** A unique email address for one test. */
export function uniqueEmail(label = 'user'): string {
  counter += 1;
  return `${label}.${Date.now().toString(36)}.${counter}@example.com`;
}

/** A password that satisfies the default policy. */
export const goodPassword = 'correct horse battery staple';
