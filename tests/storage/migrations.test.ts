import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../storage/database.ts';
import { MIGRATIONS } from '../../storage/migrations/index.ts';

describe('migrations on an existing SQLite file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('moves the delivery log to a WITHOUT ROWID table and keeps what it had seen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marktbote-migrate-'));
    dirs.push(dir);
    const database = await openDatabase(join(dir, 'db.sqlite'));
    try {
      const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => MIGRATIONS } });
      const before = await migrator.migrateTo('2026_11_29_0003_outbox_claimed_at');
      expect(before.error).toBeUndefined();
      await database.repositories.deliveries.claim('telegram:update:41', new Date('2026-12-01T10:00:00Z'));

      await database.migrate();
      const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where name = 'deliveries'`.execute(database.db);
      expect(rows[0].sql.toLowerCase()).toContain('without rowid');
      expect(await database.repositories.deliveries.seen('telegram:update:41')).toBe(true);
      expect(await database.repositories.deliveries.claim('telegram:update:41', new Date())).toBe(false);
      expect(await database.repositories.deliveries.claim('telegram:update:42', new Date())).toBe(true);
    } finally {
      await database.close();
    }
  });
});
