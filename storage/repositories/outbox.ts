import { PostgresAdapter, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import {
  RECLAIM_AFTER_MS, REDACTED_PAYLOAD, SECRET_KINDS, type NewOutboxMessage, type OutboxKind, type OutboxMessage, type OutboxRepository,
  type OutboxState,
} from '../../catalog/outbox.ts';
import type { Language, ReminderChannel } from '../../catalog/types.ts';
import { fromEpoch, toEpoch } from '../codec.ts';
import type { OutboxRow, Schema } from '../schema.ts';

function toMessage(row: Selectable<OutboxRow>): OutboxMessage {
  return {
    id: row.id,
    key: row.key,
    kind: row.kind as OutboxKind,
    customerId: row.customer_id,
    recipient: { channel: row.channel as ReminderChannel, address: row.address },
    language: row.language as Language,
    payload: JSON.parse(row.payload) as OutboxMessage['payload'],
    dueAt: fromEpoch(row.due_at),
    notAfter: row.not_after === null ? null : fromEpoch(row.not_after),
    state: row.state as OutboxState,
    attempts: row.attempts,
    lastError: row.last_error,
    sentAt: row.sent_at === null ? null : fromEpoch(row.sent_at),
  };
}

/** The row a new message is inserted as; other repositories that write a message in their own transaction use it too. */
export function outboxRow(message: NewOutboxMessage): Insertable<OutboxRow> {
  return {
    key: message.key,
    kind: message.kind,
    customer_id: message.customerId,
    channel: message.recipient.channel,
    address: message.recipient.address,
    language: message.language,
    payload: JSON.stringify(message.payload),
    due_at: toEpoch(message.dueAt),
    not_after: message.notAfter === null ? null : toEpoch(message.notAfter),
  };
}

/** Rows per INSERT: nine parameters each stays far below SQLite's 32,766 and PostgreSQL's 65,535. */
const ROWS_PER_INSERT = 1000;

const byDueThenId = (a: OutboxMessage, b: OutboxMessage) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id;

/**
 * The outbox on one database. A claim is one UPDATE over the due rows inside a
 * transaction: on SQLite the transaction holds the write lock from its start
 * (BEGIN IMMEDIATE, storage/sqlite.ts), on PostgreSQL the rows are picked with
 * FOR UPDATE SKIP LOCKED, so concurrent claimers take disjoint messages
 * instead of waiting for or repeating each other.
 */
export function createOutboxRepository(db: Kysely<Schema>): OutboxRepository {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  /**
   * Finishes a claimed message; a message no longer being sent is left alone.
   * One that is done for good loses a secret its payload held (SECRET_KINDS).
   */
  async function settle(id: number, values: Updateable<OutboxRow> & { state: OutboxState }) {
    const done = values.state !== 'pending';
    await db
      .updateTable('outbox')
      .set((eb) => ({
        ...values,
        ...(done
          ? { payload: eb.case().when('kind', 'in', [...SECRET_KINDS]).then(JSON.stringify(REDACTED_PAYLOAD)).else(eb.ref('payload')).end() }
          : {}),
      }))
      .where('id', '=', id)
      .where('state', '=', 'sending')
      .execute();
  }

  return {
    async enqueue(messages) {
      if (messages.length === 0) return 0;
      const rows = messages.map(outboxRow);
      // One transaction: on SQLite a commit per chunk would cost a sync each.
      return db.transaction().execute(async (tx) => {
        let inserted = 0;
        for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
          const result = await tx
            .insertInto('outbox')
            .values(rows.slice(start, start + ROWS_PER_INSERT))
            .onConflict((conflict) => conflict.column('key').doNothing())
            .executeTakeFirst();
          inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
        }
        return inserted;
      });
    },

    async claimDue(now, limit) {
      const rows = await db.transaction().execute((tx) =>
        tx
          .updateTable('outbox')
          .set((eb) => ({ state: 'sending' satisfies OutboxState, attempts: eb('attempts', '+', 1), claimed_at: toEpoch(now) }))
          .where('id', 'in', (eb) => {
            const due = eb
              .selectFrom('outbox')
              .select('id')
              .where((row) => row.or([
                row.and([row('state', '=', 'pending'), row('due_at', '<=', toEpoch(now))]),
                row.and([row('state', '=', 'sending'), row('claimed_at', '<=', toEpoch(now) - RECLAIM_AFTER_MS)]),
              ]))
              .orderBy('due_at')
              .orderBy('id')
              .limit(limit);
            return postgres ? due.forUpdate().skipLocked() : due;
          })
          .returningAll()
          .execute(),
      );
      return rows.map(toMessage).sort(byDueThenId);
    },

    async get(id) {
      const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toMessage(row) : null;
    },

    async markSent(id, at) {
      await settle(id, { state: 'sent', sent_at: toEpoch(at), last_error: null });
    },

    async markFailed(id, error, retryAt) {
      await settle(
        id,
        retryAt === null
          ? { state: 'failed', last_error: error }
          : { state: 'pending', last_error: error, due_at: toEpoch(retryAt) },
      );
    },

    async markSkipped(id, reason) {
      await settle(id, { state: 'skipped', last_error: reason });
    },

    async list(state) {
      let query = db.selectFrom('outbox').selectAll().orderBy('id');
      if (state !== undefined) query = query.where('state', '=', state);
      return (await query.execute()).map(toMessage);
    },

    async backlog(now) {
      const row = await db
        .selectFrom('outbox')
        .select((eb) => [eb.fn.countAll<number>().as('messages'), eb.fn.min('due_at').as('oldest')])
        .where('state', 'in', ['pending', 'sending'] satisfies OutboxState[])
        .where('due_at', '<=', toEpoch(now))
        .executeTakeFirstOrThrow();
      return { messages: Number(row.messages), oldestDueAt: row.oldest === null ? null : fromEpoch(Number(row.oldest)) };
    },
  };
}
