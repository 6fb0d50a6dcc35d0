import type { EventConsumer, TesseraEvent } from '@tessera/core';
import { isMailedEventType, type MailedEventType } from './mailed-events.js';
import type { MailRendering } from './prepare-rendering.js';
import type { RenderedMail } from './render-mail.js';

/** The outbox consumer that mails Tessera's events, with a preview and a close. */
export interface Mailer extends EventConsumer<MailedEventType> {
  /** The consumer name (`name` option): outbox rows wait under it. */
  readonly name: string;
  /** The event types mailed; the outbox keeps no rows for any other under this name. */
  readonly events: readonly MailedEventType[];
  /**
   * Renders and sends the mail of one event; called by the outbox dispatcher. Resolves once the
   * transport took the mail; rejects (and the outbox retries later) when it did not.
   *
   * @throws MailDeliveryError when the transport refused or failed.
   */
  handle(event: TesseraEvent<MailedEventType>): Promise<void>;
  /**
   * Renders the mail of an event exactly as `handle` would, without sending it.
   *
   * @throws TypeError for an event type that has no mail, or a token mail whose link is not configured.
   */
  preview(event: TesseraEvent<MailedEventType>): RenderedMail;
  /** Waits for the mails being sent, then closes the transport if the mailer built it. */
  close(): Promise<void>;
}

const rememberedMessages = 1000;

/**
 * Builds the consumer around a rendering and a way to deliver. A mail this process already
 * delivered is not sent again when its event comes back (the outbox could not record the
 * delivery); across processes the deterministic Message-ID lets mail systems recognise it.
 */
export function createMailConsumer(rendering: MailRendering, deliver: (mail: RenderedMail) => Promise<void>, closeTransport: () => void): Mailer {
  const { name, events } = rendering.options;
  const subscribed = new Set<string>(events);
  const delivered = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let isClosed = false;

  const send = async (mail: RenderedMail): Promise<void> => {
    await deliver(mail);
    delivered.add(mail.messageId);
    if (delivered.size > rememberedMessages) delivered.delete(delivered.values().next().value ?? '');
  };

  return {
    name,
    events,
    async handle(event) {
      if (isClosed) throw new Error('@tessera/mailer: the mailer is closed; the event stays in the outbox');
      // An event type dropped from `events` may still have rows waiting: acknowledge them unsent.
      if (!isMailedEventType(event.type) || !subscribed.has(event.type)) return;
      const mail = rendering.render(event);
      if (delivered.has(mail.messageId)) return;
      const sending = send(mail);
      inFlight.add(sending);
      try {
        await sending;
      } finally {
        inFlight.delete(sending);
      }
    },
    preview: (event) => rendering.render(event),
    async close() {
      isClosed = true;
      await Promise.allSettled([...inFlight]);
      closeTransport();
    },
  };
}
