import { StoreConflictError, StoreUnavailableError } from '@tessera/core';
import type { Kysely, Transaction } from 'kysely';
import type { TesseraDatabase } from './database.js';

/** What a database engine can do beyond plain SQL; the repositories adapt to it. */
export interface EngineCapabilities {
  /** `FOR UPDATE SKIP LOCKED` for the outbox claim (Postgres and PGlite; not pg-mem). */
  readonly skipLocked: boolean;
  /** `pg_advisory_xact_lock` to serialise last-admin checks (Postgres and PGlite; not pg-mem). */
  readonly advisoryLocks: boolean;
  /** Row-value comparisons, `(a, b) > (x, y)`, for keyset pages (Postgres and PGlite; not pg-mem). */
  readonly rowValueComparisons: boolean;
  /**
   * `WITH … UPDATE/INSERT` in one statement, so a multi-table change is one round trip and
   * atomic without a transaction (Postgres and PGlite; not pg-mem).
   */
  readonly writableCtes: boolean;
}

/** Where a repository runs its statements: a connection pool, or one open transaction. */
export interface Session {
  readonly db: Kysely<TesseraDatabase> | Transaction<TesseraDatabase>;
  readonly capabilities: EngineCapabilities;
  readonly inTransaction: boolean;
  /** Runs several statements as one atomic unit: in the open transaction, or in a new one. */
  atomically<T>(work: (session: Session) => Promise<T>): Promise<T>;
}

/**
 * How statements reach the database. Postgres runs everything concurrently on its pool; the
 * single-connection engines (PGlite, pg-mem) run one unit of work at a time.
 */
export interface Executor {
  readonly capabilities: EngineCapabilities;
  /** The session of calls outside any transaction. */
  readonly root: Session;
  /** Runs one repository call outside any transaction. */
  run<T>(work: (session: Session) => Promise<T>): Promise<T>;
  /** Runs a transaction: commit when `work` resolves, roll back when it throws. */
  transaction<T>(work: (session: Session) => Promise<T>): Promise<T>;
}

const postgresCapabilities: EngineCapabilities = { skipLocked: true, advisoryLocks: true, rowValueComparisons: true, writableCtes: true };

/** Postgres through a pool: real concurrency, real transactions. */
export function concurrentExecutor(db: Kysely<TesseraDatabase>): Executor {
  const transaction = <T>(work: (session: Session) => Promise<T>): Promise<T> =>
    translateErrors(() => db.transaction().execute((trx) => work(transactionSession(trx, postgresCapabilities))));
  const root: Session = { db, capabilities: postgresCapabilities, inTransaction: false, atomically: transaction };
  return { capabilities: postgresCapabilities, root, run: (work) => translateErrors(() => work(root)), transaction };
}

/**
 * PGlite: real Postgres on one connection. Kysely's PGlite driver shares that connection
 * between everything, so two transactions (or a query during a transaction) must never
 * overlap: every unit of work waits its turn.
 */
export function serializedExecutor(db: Kysely<TesseraDatabase>): Executor {
  return oneAtATime(db, postgresCapabilities, (work) => db.transaction().execute((trx) => work(transactionSession(trx, postgresCapabilities))));
}

/** The slice of pg-mem's `IMemoryDb` used to roll back. */
export interface MemoryDbSnapshots {
  backup(): { restore(): void };
}

/**
 * pg-mem: its pg adapter runs each statement in a transaction of its own, so BEGIN/ROLLBACK
 * sent as separate statements undo nothing. Units of work run one at a time, and a failed
 * transaction is undone by restoring the snapshot taken when it began.
 */
export function snapshotExecutor(db: Kysely<TesseraDatabase>, memoryDb: MemoryDbSnapshots): Executor {
  const capabilities: EngineCapabilities = { skipLocked: false, advisoryLocks: false, rowValueComparisons: false, writableCtes: false };
  return oneAtATime(db, capabilities, async (work) => {
    const snapshot = memoryDb.backup();
    try {
      return await work(transactionSession(db, capabilities));
    } catch (error) {
      snapshot.restore();
      throw error;
    }
  });
}

type TransactionRunner = <T>(work: (session: Session) => Promise<T>) => Promise<T>;

/**
 * An executor for a single-connection engine: every call and every transaction holds one
 * lock; inside it, `atomically` runs the engine's transaction without taking the lock again.
 */
function oneAtATime(db: Kysely<TesseraDatabase>, capabilities: EngineCapabilities, unlockedTransaction: TransactionRunner): Executor {
  const lock = new Mutex();
  const root: Session = { db, capabilities, inTransaction: false, atomically: unlockedTransaction };
  return {
    capabilities,
    root,
    run: (work) => lock.exclusive(() => translateErrors(() => work(root))),
    transaction: (work) => lock.exclusive(() => translateErrors(() => unlockedTransaction(work))),
  };
}

function transactionSession(db: Session['db'], capabilities: EngineCapabilities): Session {
  const session: Session = { db, capabilities, inTransaction: true, atomically: (work) => work(session) };
  return session;
}

/** A promise-chain mutex: one holder at a time, in arrival order. */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work, work);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

/** Unique constraints and the input field each one guards. */
const uniqueFields: Readonly<Record<string, string>> = {
  tessera_users_email_key: 'email',
  tessera_users_username_key: 'username',
};

/** SQLSTATE classes and codes that mean "the database is not there right now". */
const unavailableCodes = new Set(['57P01', '57P02', '57P03', '57014', '55P03', '53300', '25P03', '08000', '08001', '08003', '08004', '08006']);
const unavailableNodeCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
const unavailableMessages = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|Cannot use a pool after calling end/i;

/** Turns driver errors into the store port's errors; anything else passes through. */
export async function translateErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateError(error);
  }
}

function translateError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const { code, constraint, detail, message } = error as { code?: unknown; constraint?: unknown; detail?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (code === '23505' || /duplicate key value violates unique constraint/.test(text)) {
    return new StoreConflictError(conflictField(constraint, detail, text), { cause: error });
  }
  if ((typeof code === 'string' && (unavailableCodes.has(code) || unavailableNodeCodes.has(code))) || unavailableMessages.test(text)) {
    return new StoreUnavailableError(`The database is unavailable (${typeof code === 'string' ? code : 'connection'}).`, { cause: error });
  }
  return error;
}

function conflictField(constraint: unknown, detail: unknown, message: string): string {
  if (typeof constraint === 'string' && uniqueFields[constraint]) return uniqueFields[constraint];
  // pg-mem names the wrong constraint but gets the key right: `Key (email)=(...) already exists`.
  const key = /Key \(([a-z_]+)\)=/.exec(typeof detail === 'string' ? detail : message)?.[1];
  return key ?? 'unknown';
}
