import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, pendingMigrations, splitStatements } from '../../src/platform/db/migrate.js';
import { backend, testDatabase } from '../helpers/backends.js';

describe(`migrations (${backend.database})`, () => {
  it('applies every numbered migration once and records it', async () => {
    const db = await testDatabase();
    try {
      const all = await loadMigrations();
      const rows = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(all.map((m) => m.version));
      expect(await migrate(db)).toEqual([]);
      expect(await pendingMigrations(db)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('rolls back a failing migration whole', async () => {
    const db = await testDatabase();
    try {
      const bad = [{ version: '9999_bad', sql: 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n' }];
      await expect(migrate(db, bad)).rejects.toThrow();
      expect(await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'")).toHaveLength(0);
      expect(await db.query("SELECT 1 FROM schema_migrations WHERE version = '9999_bad'")).toHaveLength(0);
    } finally {
      await db.close();
    }
  });

  it('splits statements but keeps $$ bodies whole', () => {
    const sql =
      'CREATE TABLE a (x int);\n-- comment;\nCREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql;\n';
    expect(splitStatements(sql)).toHaveLength(2);
  });
});
