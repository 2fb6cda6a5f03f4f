import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectPath } from '../paths.js';
import type { Db } from './db.js';

const MIGRATIONS_DIR = projectPath('src/platform/db/migrations');
// Any fixed number works; it only has to be the same for every Sanad process.
const ADVISORY_LOCK_KEY = 7_324_001;

export interface Migration {
  version: string;
  sql: string;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) => ({ version: f.replace(/\.sql$/, ''), sql: await readFile(join(dir, f), 'utf8') })),
  );
}

/**
 * Applies pending numbered migrations, each in its own transaction. On Postgres an advisory
 * lock makes concurrent starts wait for each other instead of racing.
 */
export async function migrate(db: Db, migrations?: Migration[]): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  for (const m of all) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_KEY]);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (seen.length > 0) return false;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await loadMigrations();
  const rows = await db
    .query<{ version: string }>('SELECT version FROM schema_migrations')
    .catch(() => [] as { version: string }[]);
  const have = new Set(rows.map((r) => r.version));
  return all.map((m) => m.version).filter((v) => !have.has(v));
}

/**
 * Splits a migration into statements so each runs through the parameterised query path of
 * both drivers inside one transaction. Statements end with `;` at the end of a line;
 * `$$` bodies are kept whole.
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let current = '';
  let inDollar = false;
  for (const line of sql.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('--') && !inDollar) continue;
    current += `${line}\n`;
    const dollars = line.match(/\$\$/g)?.length ?? 0;
    if (dollars % 2 === 1) inDollar = !inDollar;
    if (!inDollar && trimmed.endsWith(';')) {
      if (current.trim() !== ';') out.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
