import type { OutboxMessage, OutboxRepository } from '@tessera/core';
import type { Selectable } from 'kysely';
import type { TesseraOutboxTable } from '../database.js';
import type { Session } from '../executor.js';
import { parseJson } from './users.js';

/** The outbox repository over one session. */
export function outboxRepository(session: Session): OutboxRepository {
  const { db } = session;
  return {
    async enqueue(messages) {
      if (messages.length === 0) return;
      await db
        .insertInto('tessera_outbox')
        .values(
          messages.map((message) => ({
            id: message.id,
            consumer: message.consumer,
            event_type: message.eventType,
            event_id: message.eventId,
            payload: JSON.stringify(message.payload),
            sealed_secrets: message.sealedSecrets,
            available_at: message.createdAt,
            created_at: message.createdAt,
          })),
        )
        .execute();
    },

    async claim(request) {
      // Due: pending, available, and not held by a live lease (an expired lease means the
      // dispatcher that held it died; its messages are taken over).
      const due = db
        .selectFrom('tessera_outbox')
        .select('id')
        .where('state', '=', 'pending')
        .where('available_at', '<=', request.now)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', request.now)]))
        .orderBy('available_at')
        .orderBy('id')
        .limit(request.limit);
      const claim = db
        .updateTable('tessera_outbox')
        .set((eb) => ({ claim_token: request.claimToken, claimed_until: request.leaseUntil, attempts: eb('attempts', '+', 1) }));
      let rows;
      if (session.capabilities.skipLocked) {
        // Postgres: concurrent claimers skip each other's rows instead of waiting for them.
        rows = await claim.where('id', 'in', due.forUpdate().skipLocked()).returningAll().execute();
      } else {
        // pg-mem has no SKIP LOCKED and ignores a LIMIT inside `in (subquery)`, so the ids are
        // read first; the update checks again that each row is still unclaimed, so of two
        // claimers that read the same ids, only one takes each row.
        const ids = (await due.execute()).map((row) => row.id);
        if (ids.length === 0) return [];
        rows = await claim
          .where('id', 'in', ids)
          .where('state', '=', 'pending')
          .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', request.now)]))
          .returningAll()
          .execute();
      }
      return rows.map(toMessage).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    },

    async markDelivered(id, claimToken, now) {
      const row = await db
        .updateTable('tessera_outbox')
        .set({ state: 'delivered', delivered_at: now, sealed_secrets: null, claim_token: null, claimed_until: null, last_error: null })
        .where('id', '=', id)
        .where('claim_token', '=', claimToken)
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },

    async markFailed(id, claimToken, failure) {
      const isDead = failure.retryAt === null;
      const row = await db
        .updateTable('tessera_outbox')
        .set({
          state: isDead ? 'dead' : 'pending',
          ...(failure.retryAt && { available_at: failure.retryAt }),
          // A dead message will not be sent again: its secrets have no use left.
          ...(isDead && { sealed_secrets: null }),
          last_error: failure.error,
          claim_token: null,
          claimed_until: null,
        })
        .where('id', '=', id)
        .where('claim_token', '=', claimToken)
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },

    async purgeDelivered(before) {
      const result = await db.deleteFrom('tessera_outbox').where('state', '=', 'delivered').where('delivered_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async countByState() {
      const rows = await db.selectFrom('tessera_outbox').select((eb) => ['state', eb.fn.countAll().as('count')]).groupBy('state').execute();
      const counts = { pending: 0, delivered: 0, dead: 0 };
      for (const row of rows) counts[row.state] = Number(row.count);
      return counts;
    },
  };
}

function toMessage(row: Selectable<TesseraOutboxTable>): OutboxMessage {
  return {
    id: row.id,
    consumer: row.consumer,
    eventType: row.event_type,
    eventId: row.event_id,
    payload: parseJson(row.payload),
    sealedSecrets: row.sealed_secrets,
    createdAt: row.created_at,
    attempts: row.attempts,
    lastError: row.last_error,
  };
}
