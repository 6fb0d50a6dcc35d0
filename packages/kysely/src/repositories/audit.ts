import type { AuditEventRecord, AuditRepository } from '@tessera/core';
import type { Session } from '../executor.js';
import { parseJson } from './users.js';

/** The audit log over one session: append and read only. */
export function auditRepository(session: Session): AuditRepository {
  const { db } = session;
  return {
    async append(event) {
      await db
        .insertInto('tessera_audit_events')
        .values({
          id: event.id,
          at: event.at,
          actor_id: event.actorId,
          actor_label: event.actorLabel,
          action: event.action,
          target_id: event.targetId,
          before: event.before === null ? null : JSON.stringify(event.before),
          after: event.after === null ? null : JSON.stringify(event.after),
          ip_address: event.ipAddress,
          user_agent: event.userAgent,
        })
        .execute();
    },

    async listForTarget(targetId, limit) {
      const rows = await db.selectFrom('tessera_audit_events').selectAll().where('target_id', '=', targetId).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(
        (row): AuditEventRecord => ({
          id: row.id,
          at: row.at,
          actorId: row.actor_id,
          actorLabel: row.actor_label,
          action: row.action,
          targetId: row.target_id,
          before: row.before === null ? null : parseJson(row.before),
          after: row.after === null ? null : parseJson(row.after),
          ipAddress: row.ip_address,
          userAgent: row.user_agent,
        }),
      );
    },
  };
}
