import type { CountOptions, AuditEventRecord, AuditFilter, AuditListQuery, AuditRepository } from '@tessera/core';
import { sql, type ExpressionBuilder, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { TesseraAuditEventsTable, TesseraDatabase } from '../database.js';
import type { Session } from '../executor.js';
import { beyondPosition, countRows } from './listing.js';
import { parseJson } from './users.js';

/** The fields of before/after snapshots that identify a person. */
const personalFields = ['email', 'username', 'firstName', 'lastName', 'profile', 'previousEmail', 'newEmail'];
const erased = '[erased]';

/** The audit log over one session: append and read; erasure of a deleted person's data. */
export function auditRepository(session: Session): AuditRepository {
  const { db } = session;
  const selectEntries = () => db.selectFrom('tessera_audit_events').selectAll();

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
      const rows = await selectEntries().where('target_id', '=', targetId).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toRecord);
    },

    async list(query: AuditListQuery) {
      const isBackwards = query.before !== undefined;
      const direction = isBackwards ? 'asc' : 'desc';
      let select = applyFilter(selectEntries(), query.filter);
      const position = query.after ?? query.before;
      if (position) select = select.where(beyondPosition(session.capabilities, sql.ref('at'), direction, position.at, position.id));
      select = select.orderBy('at', direction).orderBy('id', direction).limit(query.limit);
      if (query.offset !== undefined) select = select.offset(query.offset);
      const rows = (await select.execute()).map(toRecord);
      return isBackwards ? rows.reverse() : rows;
    },

    async count(filter: AuditFilter, options: CountOptions = {}) {
      return countRows(db, applyFilter(db.selectFrom('tessera_audit_events').select(sql.lit(1).as('one')), filter), options);
    },

    eraseSubject: (subjectId) =>
      session.atomically(async ({ db: tx }) => {
        const rows = await tx
          .selectFrom('tessera_audit_events')
          .selectAll()
          .where((eb) => eb.or([eb('target_id', '=', subjectId), eb('actor_id', '=', subjectId)]))
          .execute();
        let changed = 0;
        for (const row of rows) {
          const isAbout = row.target_id === subjectId;
          const isBy = row.actor_id === subjectId;
          const before = isAbout ? scrub(row.before) : row.before;
          const after = isAbout ? scrub(row.after) : row.after;
          await tx
            .updateTable('tessera_audit_events')
            .set({
              before: before === null ? null : JSON.stringify(before),
              after: after === null ? null : JSON.stringify(after),
              ...(isBy && { ip_address: null, user_agent: null }),
            })
            .where('id', '=', row.id)
            .execute();
          changed += 1;
        }
        return changed;
      }),
  };
}

function applyFilter<Output>(select: SelectQueryBuilder<TesseraDatabase, 'tessera_audit_events', Output>, filter: AuditFilter) {
  return select.where((eb: ExpressionBuilder<TesseraDatabase, 'tessera_audit_events'>) => {
    const conditions = [];
    if (filter.actorId !== undefined) conditions.push(eb('actor_id', '=', filter.actorId));
    if (filter.targetId !== undefined) conditions.push(eb('target_id', '=', filter.targetId));
    if (filter.actions) conditions.push(eb('action', 'in', [...filter.actions]));
    if (filter.from) conditions.push(eb('at', '>=', filter.from));
    if (filter.to) conditions.push(eb('at', '<=', filter.to));
    return eb.and(conditions);
  });
}

function scrub(snapshot: unknown): Record<string, unknown> | null {
  if (snapshot === null || snapshot === undefined) return null;
  const record = parseJson(snapshot);
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, personalFields.includes(key) ? erased : value]));
}

function toRecord(row: Selectable<TesseraAuditEventsTable>): AuditEventRecord {
  return {
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
  };
}
