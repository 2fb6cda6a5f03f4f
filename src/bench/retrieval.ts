import type { RetrievalCase } from '../eval/cases.js';
import { toVectorLiteral } from '../knowledge/embedder.js';
import { loadIdf } from '../knowledge/embedding-store.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { INTENT_DIMS } from '../knowledge/knowledge-base.js';
import { LocalHashEmbedder } from '../knowledge/local-embedder.js';
import {
  createRetriever,
  defaultTuning,
  fullTextSql,
  intentLogitsSql,
  tsQueryOf,
  weightByIdf,
} from '../knowledge/retrieve.js';
import {
  approximateSettings,
  exactChunksSql,
  exactSettings,
  fetchSize,
  nearestChunks,
  nearestEmbeddingsSql,
  withSettings,
} from '../knowledge/vector-search.js';
import type { Db } from '../platform/db/db.js';
import { detectLanguage, type Lang } from '../text/language.js';
import { terms } from '../text/tokenise.js';
import { type LatencySummary, round, since, summarise } from './stats.js';

const intentSql = intentLogitsSql(INTENT_DIMS);
const textSql = fullTextSql(defaultTuning.candidates);

/**
 * How the vector query runs: as the retriever runs it (vector-search.ts: the nearest
 * `candidates × overfetch` embeddings from the HNSW index, then the filters, the exact query
 * when too few pass), or the exact query alone.
 */
export type ScanMode = { kind: 'hnsw'; overfetch: number } | { kind: 'exact' };

export const modeName = (m: ScanMode) =>
  m.kind === 'exact' ? 'exact' : `hnsw x${m.overfetch} (ef ${fetchSize(defaultTuning.candidates, m.overfetch)})`;

/** The statement of a mode that reads vectors, its settings and parameter types, for EXPLAIN. */
export function modeSql(mode: ScanMode, d: number, model: string) {
  const limit = defaultTuning.candidates;
  if (mode.kind === 'exact')
    return { sql: exactChunksSql(d, model, limit), settings: exactSettings, types: ['vector', 'text', 'text[]'] };
  const fetch = fetchSize(limit, mode.overfetch);
  return { sql: nearestEmbeddingsSql(d, model, fetch), settings: approximateSettings(fetch), types: ['vector'] };
}

/** Runs a mode's vector query; `exact` says whether the exact query answered. */
export async function vectorQuery(
  db: Db,
  mode: ScanMode,
  q: { vector: string; lang: string | null },
  model: { model: string; dims: number },
): Promise<{ hits: Hit[]; exact: boolean }> {
  const query = { ...model, vector: q.vector, lang: q.lang, tags: null, limit: defaultTuning.candidates };
  if (mode.kind === 'hnsw') return nearestChunks(db, { ...query, overfetch: mode.overfetch });
  const { sql, settings } = modeSql(mode, model.dims, model.model);
  const hits = await withSettings(db, settings, (tx) => tx.query<Hit>(sql, [q.vector, q.lang, null]));
  return { hits, exact: true };
}

export interface PreparedQuery {
  question: string;
  lang: Lang;
  /** The query vector exactly as the retriever builds it (embedding × knowledge-base IDF, normalised). */
  vector: string;
  intent: string;
  lexemes: string;
}

/** Builds each question's query vectors the way retrieve.ts does (its queryVector is private). */
export async function prepareQueries(db: Db, kb: KnowledgeBase, cases: RetrievalCase[]): Promise<PreparedQuery[]> {
  const embedder = kb.embedder;
  const idf = embedder.lexical ? await loadIdf(db, embedder.model) : undefined;
  const intentEmbedder = new LocalHashEmbedder(INTENT_DIMS);
  const out: PreparedQuery[] = [];
  for (const c of cases) {
    const v = await embedder.embedQuery(c.question);
    const weighted = idf ? weightByIdf(v, idf.idf, defaultTuning.idfPower) : v;
    const lexemes = tsQueryOf([...new Set(terms(c.question))]);
    out.push({
      question: c.question,
      lang: c.lang ?? detectLanguage(c.question).lang,
      vector: toVectorLiteral(weighted),
      intent: toVectorLiteral(intentEmbedder.vector(c.question)),
      lexemes,
    });
  }
  return out;
}

export interface ModeResult {
  mode: string;
  latency: LatencySummary;
  /** Share of the exact scan's 10 nearest chunks that this mode found (tie-aware). */
  recall_at_10: number;
  /** The same over the whole candidate list the retriever fuses (LIMIT 60). */
  recall_at_candidates: number;
  /** Rows returned on average, of the LIMIT asked for. */
  rows: number;
  /** Share of queries the exact fallback answered (too few of the nearest passed the filters). */
  fallback: number;
}

export interface RetrievalBench {
  queries: number;
  /** The whole KnowledgeBase retriever (vector + full-text + intent + passages), as a turn calls it: the in-memory index. */
  retrieve: LatencySummary;
  /** The same retriever reading the database instead (what every turn did before the index). */
  retrieve_sql: LatencySummary;
  /** The intent model's exact scan over every article's weight vector. */
  intent: LatencySummary;
  /** The full-text query. */
  text: LatencySummary;
  vector: ModeResult[];
}

type Hit = { id: number; similarity: number };

/** Recall of `found` against `exact` within the first k, counting ties at the k-th distance as hits. */
function recall(found: Hit[], exact: Hit[], k: number): number {
  const truth = exact.slice(0, k);
  if (truth.length === 0) return 1;
  const threshold = Number((truth[truth.length - 1] as Hit).similarity) - 1e-6;
  const ids = new Set(truth.map((h) => h.id));
  const hits = found.slice(0, k).filter((h) => ids.has(h.id) || Number(h.similarity) >= threshold).length;
  return Math.min(1, hits / truth.length);
}

/**
 * For each query, in the same run: the full retriever, then the vector query in each mode, the
 * exact scan last (recall is measured against it), the intent scan and the full-text query.
 * A warm-up pass first, not timed. plans.ts checks that the "hnsw" modes' plans use the index.
 */
export async function benchRetrieval(
  db: Db,
  kb: KnowledgeBase,
  queries: PreparedQuery[],
  modes: ScanMode[],
  onProgress?: (done: number, total: number) => void,
): Promise<RetrievalBench> {
  await kb.ready();
  const retriever = await kb.retriever();
  const model = { model: kb.embedder.model, dims: kb.embedder.dims };
  const sqlRetriever = createRetriever(db, kb.embedder, model, defaultTuning, {
    embedder: new LocalHashEmbedder(INTENT_DIMS),
  });
  const intentModel = new LocalHashEmbedder(INTENT_DIMS).model;
  if (modes[modes.length - 1]?.kind !== 'exact') throw new Error('the last mode must be the exact scan');

  for (const q of queries.slice(0, 5)) {
    await retriever.retrieve(q.question, { lang: q.lang });
    for (const m of modes) await vectorQuery(db, m, q, model);
  }

  const full: number[] = [];
  const fullSql: number[] = [];
  const intent: number[] = [];
  const text: number[] = [];
  const perMode = modes.map(() => ({
    latencies: [] as number[],
    r10: [] as number[],
    rAll: [] as number[],
    rows: 0,
    fallback: 0,
  }));
  for (const [i, q] of queries.entries()) {
    let t = performance.now();
    await retriever.retrieve(q.question, { lang: q.lang });
    full.push(since(t));
    t = performance.now();
    await sqlRetriever.retrieve(q.question, { lang: q.lang });
    fullSql.push(since(t));
    const results: Hit[][] = [];
    for (const [m, mode] of modes.entries()) {
      t = performance.now();
      const { hits, exact } = await vectorQuery(db, mode, q, model);
      perMode[m]?.latencies.push(since(t));
      results.push(hits);
      if (exact && mode.kind === 'hnsw') (perMode[m] as (typeof perMode)[number]).fallback++;
    }
    const exact = results[results.length - 1] as Hit[];
    for (const [m, rows] of results.entries()) {
      const slot = perMode[m] as (typeof perMode)[number];
      slot.r10.push(recall(rows, exact, 10));
      slot.rAll.push(recall(rows, exact, defaultTuning.candidates));
      slot.rows += rows.length;
    }
    t = performance.now();
    await db.query(intentSql, [q.intent, intentModel, q.lang, null]);
    intent.push(since(t));
    if (q.lexemes) {
      t = performance.now();
      await db.query(textSql, [q.lexemes, q.lang, null]);
      text.push(since(t));
    }
    onProgress?.(i + 1, queries.length);
  }
  const mean = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length), 3);
  return {
    queries: queries.length,
    retrieve: summarise(full),
    retrieve_sql: summarise(fullSql),
    intent: summarise(intent),
    text: summarise(text),
    vector: modes.map((mode, m) => {
      const slot = perMode[m] as (typeof perMode)[number];
      return {
        mode: modeName(mode),
        latency: summarise(slot.latencies),
        recall_at_10: mean(slot.r10),
        recall_at_candidates: mean(slot.rAll),
        rows: round(slot.rows / Math.max(1, queries.length), 1),
        fallback: round(slot.fallback / Math.max(1, queries.length), 3),
      };
    }),
  };
}

/** Checks that the retriever sees the intent model the bench trained (same feature space). */
export async function intentModelInUse(kb: KnowledgeBase, q: PreparedQuery): Promise<boolean> {
  const retrieval = await (await kb.retriever()).retrieve(q.question, { lang: q.lang });
  return retrieval.articles.some((a) => a.intent > 0);
}
