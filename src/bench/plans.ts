import type { Db } from '../db/db.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { inMode, modeName, type PreparedQuery, type ScanMode, vectorSql } from './retrieval.js';

export interface PlanReport {
  /** Per mode: does the vector query's plan scan the HNSW index, and the plan's node lines. */
  vector: { mode: string; uses_hnsw: boolean; plan: string[] }[];
  /** The first mode without the language filter (a turn's retry when the filtered search finds nothing). */
  unfiltered_uses_hnsw: boolean;
  /**
   * The plan a prepared statement would get once Postgres switches to a generic plan (after
   * five runs of a named statement): `e.model = $2` is then unknown, so the partial HNSW index
   * (WHERE model = '…') cannot be proven usable. Today both drivers send unnamed statements
   * (postgres.js unsafe() has prepare: false), so every run is planned with its values.
   */
  generic_uses_hnsw: boolean;
  generic_plan: string[];
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

const nodes = (rows: Record<string, string>[]) =>
  rows
    .map((r) => Object.values(r)[0] as string)
    .filter(
      (line) => /(Scan|Join|Loop|Sort|Limit|Hash)/.test(line) && !/^\s*(Sort Key|Hash Cond|Join Filter)/.test(line),
    )
    .map((line) => line.replace(/\s+$/, ''));

export async function explainVector(
  db: Db,
  kb: KnowledgeBase,
  q: PreparedQuery,
  modes: ScanMode[],
): Promise<PlanReport> {
  const d = kb.embedder.dims;
  const model = kb.embedder.model;
  const sql = `EXPLAIN (COSTS OFF) ${vectorSql(d)}`;
  const vector = [];
  for (const mode of modes) {
    const rows = await inMode(db, mode, (tx) => tx.query<Record<string, string>>(sql, [q.vector, model, q.lang, null]));
    const plan = nodes(rows);
    vector.push({ mode: modeName(mode), uses_hnsw: plan.some((l) => l.includes('embeddings_hnsw')), plan });
  }
  const unfiltered = nodes(
    await inMode(db, modes[0] as ScanMode, (tx) =>
      tx.query<Record<string, string>>(sql, [q.vector, model, null, null]),
    ),
  );
  const generic = await db.transaction(async (tx) => {
    await tx.query(`PREPARE bench_vector (vector, text, text, text[]) AS ${vectorSql(d)}`);
    try {
      await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
      return nodes(
        // EXECUTE takes no bind parameters: literals (a vector literal is digits and commas).
        await tx.query<Record<string, string>>(
          `EXPLAIN (COSTS OFF) EXECUTE bench_vector (${quote(q.vector)}, ${quote(model)}, ${quote(q.lang)}, NULL)`,
        ),
      );
    } finally {
      await tx.query('DEALLOCATE bench_vector');
    }
  });
  const report: PlanReport = {
    vector,
    unfiltered_uses_hnsw: unfiltered.some((l) => l.includes('embeddings_hnsw')),
    generic_uses_hnsw: generic.some((l) => l.includes('embeddings_hnsw')),
    generic_plan: generic,
  };
  return report;
}
