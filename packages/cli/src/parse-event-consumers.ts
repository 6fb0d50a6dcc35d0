import type { EventConsumer, EventType } from '@tessera/core';
import { CliError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';

/** The app's event consumers as the CLI knows them. */
export interface EventConsumerSettings {
  /** Consumers to write outbox rows for; their `handle` is the app's, never run here. */
  readonly consumers: readonly EventConsumer[];
  /** Whether the operator said which consumers the app has (`none` counts). */
  readonly isConfigured: boolean;
}

const consumerName = /^[\w.-]{1,100}$/;
const eventTypeName = /^[a-z]+\.[a-z_]+$/;

/**
 * Reads `TESSERA_EVENT_CONSUMERS` / `--event-consumers`: the names of the app's event
 * consumers (and optionally the event types each subscribed to), so the events of a CLI action
 * wait in the outbox under the same names as the app's own and the app delivers them (the
 * mailer sends the mail). Consumers are separated by `;` or spaces; `mailer` takes every event,
 * `dev-mailbox:user.registered,user.password_reset_requested` only those; `none` says the app
 * has none.
 *
 * @throws CliError `usage` for a malformed list.
 */
export function parseEventConsumers(spec: string | undefined): EventConsumerSettings {
  if (spec === undefined || spec.trim() === '') return { consumers: [], isConfigured: false };
  if (spec.trim() === 'none') return { consumers: [], isConfigured: true };
  const consumers = spec
    .split(/[;\s]+/)
    .filter(Boolean)
    .map((entry): EventConsumer => {
      const [name = '', types] = entry.split(':', 2);
      const events = types === undefined ? 'all' : types.split(',').filter(Boolean);
      if (!consumerName.test(name) || (events !== 'all' && (events.length === 0 || !events.every((type) => eventTypeName.test(type))))) {
        throw new CliError(exitCodes.usage, `TESSERA_EVENT_CONSUMERS: "${entry}" is not "name" or "name:event.type,event.type".`, 'invalid_event_consumers');
      }
      return {
        name,
        events: events === 'all' ? 'all' : (events as EventType[]),
        handle: async () => {
          throw new Error(`The CLI never delivers events: the app's consumer "${name}" does.`);
        },
      };
    });
  const names = consumers.map((consumer) => consumer.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new CliError(exitCodes.usage, `TESSERA_EVENT_CONSUMERS names "${duplicate}" twice.`, 'invalid_event_consumers');
  return { consumers, isConfigured: true };
}
