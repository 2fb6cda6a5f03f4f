import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { withSettings } from '../knowledge/vector-search.js';
import type { Db } from '../platform/db/db.js';
import { modeName, modeSql, type PreparedQuery, type ScanMode } from './retrieval.js';

export interface PlanReport {
  /** Per mode: does the vector query's plan scan the HNSW index, and the plan's node lines (with the retriever's settings). */
  vector: { mode: string; uses_hnsw: boolean; plan: string[] }[];
  /** The first mode without the language filter (a turn's retry when the filtered search finds nothing). */
  unfiltered_uses_hnsw: boolean;
  /**
   * The first mode's plan as a generic (prepared) statement, as Postgres plans a named statement
   * after five runs. The model is a literal in the SQL, so the partial HNSW index
   * (WHERE model = '…') stays provably usable; today both drivers send unnamed statements
   * (postgres.js unsafe() has prepare: false), so every run is planned with its values anyway.
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
  const explain = (mode: ScanMode, lang: string | null) => {
    const { sql, settings, types } = modeSql(mode, d, model);
    const params = [q.vector, lang, null].slice(0, types.length);
    return withSettings(db, settings, (tx) => tx.query<Record<string, string>>(`EXPLAIN (COSTS OFF) ${sql}`, params));
  };
  const vector = [];
  for (const mode of modes) {
    const plan = nodes(await explain(mode, q.lang));
    vector.push({ mode: modeName(mode), uses_hnsw: plan.some((l) => l.includes('embeddings_hnsw')), plan });
  }
  const first = modes[0] as ScanMode;
  const unfiltered = nodes(await explain(first, null));
  const { sql, settings, types } = modeSql(first, d, model);
  const generic = await withSettings(db, settings, async (tx) => {
    await tx.query(`PREPARE bench_vector (${types.join(', ')}) AS ${sql}`);
    try {
      await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
      return nodes(
        // EXECUTE takes no bind parameters: literals (a vector literal is digits and commas).
        await tx.query<Record<string, string>>(
          `EXPLAIN (COSTS OFF) EXECUTE bench_vector (${[quote(q.vector), quote(q.lang), 'NULL'].slice(0, types.length).join(', ')})`,
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
