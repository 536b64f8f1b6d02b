import type { Kysely, Selectable } from 'kysely';
import type { Verification, VerificationMethod, VerificationRepository } from '../../catalog/ports.ts';
import { fromEpoch, toEpoch } from '../codec.ts';
import type { PhoneVerificationRow, Schema } from '../schema.ts';
import { outboxRow } from './outbox.ts';

function toVerification(row: Selectable<PhoneVerificationRow>): Verification {
  return {
    id: row.id,
    requestKey: row.request_key,
    phone: row.phone,
    method: row.method as VerificationMethod,
    codeHash: row.code_hash,
    attempts: row.attempts,
    createdAt: fromEpoch(row.created_at),
    expiresAt: fromEpoch(row.expires_at),
    verifiedAt: row.verified_at === null ? null : fromEpoch(row.verified_at),
  };
}

/** Proofs of phone numbers; each is written together with the SMS or call that carries it. */
export function createVerificationRepository(db: Kysely<Schema>): VerificationRepository {
  return {
    async start(verification, message) {
      return db.transaction().execute(async (tx) => {
        const inserted = await tx
          .insertInto('phone_verifications')
          .values({
            request_key: verification.requestKey,
            phone: verification.phone,
            method: verification.method,
            code_hash: verification.codeHash,
            created_at: toEpoch(verification.createdAt),
            expires_at: toEpoch(verification.expiresAt),
          })
          .onConflict((conflict) => conflict.column('request_key').doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!inserted) {
          const earlier = await tx.selectFrom('phone_verifications').selectAll().where('request_key', '=', verification.requestKey).executeTakeFirstOrThrow();
          return { verification: toVerification(earlier), created: false };
        }
        await tx.insertInto('outbox').values(outboxRow(message)).onConflict((conflict) => conflict.column('key').doNothing()).execute();
        return { verification: toVerification(inserted), created: true };
      });
    },

    async get(id) {
      const row = await db.selectFrom('phone_verifications').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toVerification(row) : null;
    },

    async countSince(phone, since) {
      const row = await db
        .selectFrom('phone_verifications')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('phone', '=', phone)
        .where('created_at', '>=', toEpoch(since))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async countAttempt(id, max) {
      const row = await db
        .updateTable('phone_verifications')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where('attempts', '<', max)
        .where('verified_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      return row ? toVerification(row) : null;
    },

    async markVerified(id, at) {
      await db.updateTable('phone_verifications').set({ verified_at: toEpoch(at) }).where('id', '=', id).execute();
    },
  };
}
