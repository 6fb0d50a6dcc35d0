import { newUuidV7 } from '../ids.js';
import type { Clock, RandomSource } from '../ports/runtime.js';
import type { NewOutboxMessage, StoreRepositories } from '../ports/store.js';
import type { EventConsumer, EventPayloads, EventSecrets, EventType } from './event-types.js';
import type { SecretSealer } from './sealed-secrets.js';

/** The arguments of `publish`: secrets are required exactly for the event types that carry them. */
export type PublishArguments<T extends EventType> = EventSecrets<T> extends undefined
  ? [type: T, payload: EventPayloads[T]]
  : [type: T, payload: EventPayloads[T], secrets: EventSecrets<T>];

/**
 * Writes events into the outbox, one row per subscribed consumer, inside the caller's
 * transaction: the event exists if and only if the change that caused it was committed.
 */
export class EventPublisher {
  readonly #consumers: readonly EventConsumer[];
  readonly #sealer: SecretSealer;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  // The transactions that enqueued something: only their commit has news for the dispatcher.
  readonly #enqueuedIn = new WeakSet<StoreRepositories>();

  constructor(consumers: readonly EventConsumer[], sealer: SecretSealer, clock: Clock, random: RandomSource) {
    this.#consumers = consumers;
    this.#sealer = sealer;
    this.#clock = clock;
    this.#random = random;
  }

  /** Enqueues an event for every consumer that subscribed to its type (none: nothing is written). */
  async publish<T extends EventType>(tx: StoreRepositories, ...[type, payload, secrets]: PublishArguments<T>): Promise<void> {
    const consumers = this.#consumers.filter((consumer) => consumer.events === 'all' || consumer.events.includes(type));
    if (consumers.length === 0) return;
    const eventId = newUuidV7(this.#clock, this.#random);
    const sealedSecrets = secrets === undefined ? null : await this.#sealer.seal(secrets, eventId);
    const createdAt = this.#clock.now();
    const messages: NewOutboxMessage[] = consumers.map((consumer) => ({
      id: newUuidV7(this.#clock, this.#random),
      consumer: consumer.name,
      eventType: type,
      eventId,
      payload: payload,
      sealedSecrets,
      createdAt,
    }));
    await tx.outbox.enqueue(messages);
    this.#enqueuedIn.add(tx);
  }

  /**
   * Whether events were enqueued in the transaction `tx` (and forgets it): after its commit,
   * the dispatcher has something to deliver at once; otherwise waking it costs a query for nothing.
   */
  takeEnqueued(tx: StoreRepositories): boolean {
    return this.#enqueuedIn.delete(tx);
  }
}
