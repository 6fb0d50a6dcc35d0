import { base64url } from 'jose';
import type { ResolvedOptions } from '../options.js';
import type { Clock, Logger, RandomSource } from '../ports/runtime.js';
import type { OutboxMessage, TesseraStore } from '../ports/store.js';
import type { EventConsumer, TesseraEvent } from './event-types.js';
import type { SecretSealer } from './sealed-secrets.js';

/** What one dispatch round did. */
export interface DispatchReport {
  readonly claimed: number;
  readonly delivered: number;
  readonly retried: number;
  readonly dead: number;
}

/** Options of a running dispatcher loop. */
export interface DispatcherStartOptions {
  /** Pause between rounds that found nothing to do. @default 1000 */
  readonly pollIntervalMs?: number;
  /**
   * Messages claimed per round. The loop delivers at most 5 at once and claims only for free
   * slots, so values above 5 change nothing there; `runOnce` and `drain` use it as given.
   * @default 20
   */
  readonly batchSize?: number;
}

interface DispatcherDependencies {
  readonly store: TesseraStore;
  readonly consumers: readonly EventConsumer[];
  readonly sealer: SecretSealer;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly logger: Logger;
  readonly options: ResolvedOptions['events'];
  /** Run by the loop about once a minute, with the purge of delivered messages (e.g. ended sessions). */
  readonly periodicCleanup?: () => Promise<unknown>;
}

interface DispatchLoop {
  timer: ReturnType<typeof setTimeout> | undefined;
  stopped: boolean;
  readonly options: Required<DispatcherStartOptions>;
}

const parallelDeliveries = 5;
const purgeEveryMs = 60_000;

/**
 * Delivers outbox messages to their consumers: claims due messages under a lease (so several
 * dispatchers in several processes never deliver one message at once), hands each to its
 * consumer, and marks it delivered, or schedules a retry with exponential backoff and jitter,
 * or marks it dead after the last attempt. Delivery is at least once. About once a minute, a
 * running loop also deletes delivered messages past their retention and runs the periodic
 * cleanup it was given (Tessera's: the refresh tokens of ended sessions).
 */
export class OutboxDispatcher {
  readonly #deps: DispatcherDependencies;
  readonly #consumers: ReadonlyMap<string, EventConsumer>;
  #loop: DispatchLoop | undefined;
  #inFlight: Promise<unknown> = Promise.resolve();
  /** The background loop's deliveries under way (at most `parallelDeliveries`). */
  readonly #deliveries = new Set<Promise<unknown>>();
  #isTicking = false;
  #wasNudged = false;
  #lastPurgeAt = 0;

  constructor(deps: DispatcherDependencies) {
    this.#deps = deps;
    this.#consumers = new Map(deps.consumers.map((consumer) => [consumer.name, consumer]));
  }

  /** Whether the background loop is running. */
  get isRunning(): boolean {
    return this.#loop !== undefined && !this.#loop.stopped;
  }

  /**
   * Claims and delivers up to `batchSize` due messages. They are claimed as many at a time as
   * are delivered at once, each group under a lease that starts when its deliveries start: a
   * group claimed early and delivered late could outlive its lease, and then another
   * dispatcher would take (and send) the same messages.
   */
  async runOnce(batchSize = 20): Promise<DispatchReport> {
    const outcomes: Array<'delivered' | 'retried' | 'dead'> = [];
    let claimed = 0;
    while (claimed < batchSize) {
      const limit = Math.min(parallelDeliveries, batchSize - claimed);
      const { claimToken, messages: group } = await this.#claim(limit);
      claimed += group.length;
      outcomes.push(...(await Promise.all(group.map((message) => this.#deliver(message, claimToken)))));
      if (group.length < limit) break;
    }
    return {
      claimed,
      delivered: outcomes.filter((outcome) => outcome === 'delivered').length,
      retried: outcomes.filter((outcome) => outcome === 'retried').length,
      dead: outcomes.filter((outcome) => outcome === 'dead').length,
    };
  }

  /** Runs rounds until nothing is due (or `maxRounds` is reached); for tests and scripts. */
  async drain(maxRounds = 100): Promise<DispatchReport> {
    const total = { claimed: 0, delivered: 0, retried: 0, dead: 0 };
    for (let round = 0; round < maxRounds; round += 1) {
      const report = await this.runOnce();
      total.claimed += report.claimed;
      total.delivered += report.delivered;
      total.retried += report.retried;
      total.dead += report.dead;
      if (report.claimed === 0) break;
    }
    return total;
  }

  /** Deletes delivered messages older than the retention; returns how many. */
  async purgeDelivered(): Promise<number> {
    const { clock, options, store } = this.#deps;
    return store.outbox.purgeDelivered(new Date(clock.now().getTime() - options.retainDeliveredSeconds * 1000));
  }

  /** Starts the background loop (idempotent). */
  start(options: DispatcherStartOptions = {}): void {
    if (this.isRunning) return;
    this.#loop = {
      timer: undefined,
      stopped: false,
      options: { pollIntervalMs: options.pollIntervalMs ?? 1000, batchSize: options.batchSize ?? 20 },
    };
    this.#schedule(0);
  }

  /** Asks a running loop to look for work now (e.g. right after an event was committed). */
  nudge(): void {
    const loop = this.#loop;
    if (!loop || loop.stopped) return;
    if (this.#isTicking) {
      this.#wasNudged = true;
      return;
    }
    clearTimeout(loop.timer);
    this.#schedule(0);
  }

  /** Stops claiming new messages and waits for the deliveries in flight. */
  async stop(): Promise<void> {
    if (this.#loop) {
      this.#loop.stopped = true;
      clearTimeout(this.#loop.timer);
    }
    await this.#inFlight;
    await Promise.all(this.#deliveries);
  }

  #schedule(delayMs: number): void {
    const loop = this.#loop;
    if (!loop || loop.stopped) return;
    loop.timer = setTimeout(() => {
      this.#inFlight = this.#tick(loop);
    }, delayMs);
    // The loop must never keep a process alive on its own.
    (loop.timer as { unref?: () => void }).unref?.();
  }

  /**
   * One round of the background loop: claims as many due messages as there are free delivery
   * slots and starts their deliveries without waiting for them. A slow delivery (a mail server
   * that stops answering) holds one slot until its consumer gives up, not the whole loop; each
   * finished delivery wakes the loop to fill its slot.
   */
  async #tick(loop: DispatchLoop): Promise<void> {
    if (loop.stopped) return;
    this.#isTicking = true;
    this.#wasNudged = false;
    let filledEverySlot = false;
    try {
      const free = Math.min(parallelDeliveries - this.#deliveries.size, loop.options.batchSize);
      if (free > 0) {
        const { claimToken, messages } = await this.#claim(free);
        for (const message of messages) this.#startDelivery(message, claimToken);
        filledEverySlot = messages.length === free;
      }
      if (Date.now() - this.#lastPurgeAt > purgeEveryMs) {
        this.#lastPurgeAt = Date.now();
        await this.purgeDelivered();
        await this.#deps.periodicCleanup?.();
      }
    } catch (error) {
      this.#deps.logger.warn({ err: describeError(error) }, 'tessera outbox: dispatch round failed; will retry');
    } finally {
      this.#isTicking = false;
    }
    // Exactly one timer is pending at any time: set here, or by nudge() while no round runs.
    if (!loop.stopped) this.#schedule(filledEverySlot || this.#wasNudged ? 0 : loop.options.pollIntervalMs);
  }

  /** Claims up to `limit` due messages under a new token, leased from now: their deliveries start at once. */
  async #claim(limit: number): Promise<{ claimToken: string; messages: OutboxMessage[] }> {
    const { store, clock, options, random } = this.#deps;
    const claimToken = base64url.encode(random.bytes(16));
    const now = clock.now();
    const messages = await store.outbox.claim({ now, leaseUntil: new Date(now.getTime() + options.leaseSeconds * 1000), claimToken, limit });
    return { claimToken, messages };
  }

  #startDelivery(message: OutboxMessage, claimToken: string): void {
    const delivery: Promise<unknown> = this.#deliver(message, claimToken)
      .catch((error: unknown) => {
        // Marking the outcome failed (the database is away): the lease runs out and the message is claimed again.
        this.#deps.logger.warn({ eventId: message.eventId, err: describeError(error) }, 'tessera outbox: could not record a delivery outcome; the message will be claimed again');
      })
      .finally(() => {
        this.#deliveries.delete(delivery);
        this.nudge();
      });
    this.#deliveries.add(delivery);
  }

  async #deliver(message: OutboxMessage, claimToken: string): Promise<'delivered' | 'retried' | 'dead'> {
    const { store, clock, logger, options } = this.#deps;
    const log = { eventId: message.eventId, eventType: message.eventType, consumer: message.consumer, attempt: message.attempts };
    try {
      const consumer = this.#consumers.get(message.consumer);
      if (!consumer) throw new PermanentFailure(`no consumer named "${message.consumer}" is configured`);
      const event = await this.#toEvent(message);
      await consumer.handle(event);
      await store.outbox.markDelivered(message.id, claimToken, clock.now());
      logger.debug(log, 'tessera outbox: delivered');
      return 'delivered';
    } catch (error) {
      const isLastAttempt = isPermanentDeliveryFailure(error) || message.attempts >= options.maxAttempts;
      const retryAt = isLastAttempt ? null : new Date(clock.now().getTime() + this.#retryDelayMs(message.attempts));
      await store.outbox.markFailed(message.id, claimToken, { error: describeError(error), retryAt });
      logger.warn({ ...log, err: describeError(error), retryAt: retryAt?.toISOString() ?? null }, isLastAttempt ? 'tessera outbox: delivery failed for good' : 'tessera outbox: delivery failed; will retry');
      return isLastAttempt ? 'dead' : 'retried';
    }
  }

  async #toEvent(message: OutboxMessage): Promise<TesseraEvent> {
    let secrets: unknown;
    if (message.sealedSecrets !== null) {
      try {
        secrets = await this.#deps.sealer.open(message.sealedSecrets, message.eventId);
      } catch (error) {
        throw new PermanentFailure('the event secrets cannot be opened (was the app secret changed?)', { cause: error });
      }
    }
    const expired = expiredSecret(secrets, this.#deps.clock.now());
    if (expired) throw new PermanentFailure(`the ${expired} it carries expired before it could be delivered`);
    return {
      id: message.eventId,
      type: message.eventType,
      occurredAt: message.createdAt,
      payload: message.payload,
      secrets,
      attempt: message.attempts,
    } as unknown as TesseraEvent;
  }

  #retryDelayMs(attempts: number): number {
    const { retryDelaySeconds, maxRetryDelaySeconds } = this.#deps.options;
    const base = Math.min(maxRetryDelaySeconds, retryDelaySeconds * 2 ** Math.max(0, attempts - 1)) * 1000;
    const [byte = 128] = this.#deps.random.bytes(1);
    return Math.round(base * (0.8 + (0.4 * byte) / 255));
  }
}

const permanentMarker = Symbol.for('@tessera/core/PermanentDeliveryFailure');

/**
 * A delivery failure no retry can cure (a mailbox that does not exist, a payload the consumer
 * cannot handle): thrown by a consumer, it marks the message dead at once instead of retrying it.
 */
export class PermanentDeliveryFailure extends Error {
  override readonly name = 'PermanentDeliveryFailure';
  readonly [permanentMarker] = true;
}

/** Whether an error is a permanent delivery failure (also from another copy of the package). */
export function isPermanentDeliveryFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && permanentMarker in error;
}

const PermanentFailure = PermanentDeliveryFailure;

/** The name of a one-time token among the secrets that has already expired, if any. */
function expiredSecret(secrets: unknown, now: Date): string | null {
  if (typeof secrets !== 'object' || secrets === null) return null;
  for (const [name, value] of Object.entries(secrets)) {
    const expiresAt = (value as { expiresAt?: unknown } | null)?.expiresAt;
    if (typeof expiresAt === 'string' && Date.parse(expiresAt) <= now.getTime()) return name;
  }
  return null;
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 500);
}
