import type { ArticleContent } from '../knowledge/article.js';
import { chunkArticle } from '../knowledge/chunk.js';
import { LocalHashEmbedder } from '../knowledge/local-embedder.js';
import { type IndexChunk, indexFromRows } from '../knowledge/memory-index.js';
import { defaultTuning, retrieverOver, weightByIdf } from '../knowledge/retrieve.js';
import type { Lang } from '../text/language.js';
import { type MemorySnapshot, memory } from './memory.js';
import { type LatencySummary, round, since, summarise } from './stats.js';
import { seededRandom, syntheticKnowledgeBase } from './synthetic.js';

export interface ScaleResult {
  target_chunks: number;
  articles: number;
  chunks: number;
  /** Chunking and embedding the synthetic articles (what ingestion does before writing rows). */
  prepare_s: number;
  build_s: number;
  /** This process after the index is built (the bench's own rows still held), after a full GC. */
  memory: MemorySnapshot;
  /** The index's nearest-chunks search (LIMIT 60, language filter) and the exact scan it replaces. */
  index: LatencySummary;
  exact: LatencySummary;
  speedup_p50: number;
  /** Share of the exact scan's 10 nearest found by the index (tie-aware). */
  recall_at_10: number;
  /** The whole retriever over the index (vector, full-text, intent model, passages), as a turn calls it. */
  retrieve: LatencySummary;
}

/**
 * Retrieval from the in-memory index at a given number of chunks, without a database: the
 * synthetic knowledge base is chunked and indexed as the service would, the intent model gets
 * seeded random weights of the real shape (its cost does not depend on their values; training
 * it at 5,000 articles would take the whole time budget). The exact scan computes every
 * chunk's cosine distance, as pgvector's exact query does, in this process.
 */
export async function scaleLevel(
  sample: ArticleContent[],
  targetChunks: number,
  queries: { question: string; lang: Lang }[],
  options: { seed: number; intentDims: number; onProgress?: (line: string) => void },
): Promise<ScaleResult> {
  const embedder = new LocalHashEmbedder();
  const intentEmbedder = new LocalHashEmbedder(options.intentDims);
  const perArticle = 9.3;
  // A few articles more than the average needs, so the level has exactly the chunks asked for.
  const articles = syntheticKnowledgeBase(
    sample,
    Math.max(2, Math.ceil((targetChunks / perArticle) * 1.1)),
    options.seed,
  );
  const started = performance.now();
  const chunks: IndexChunk[] = [];
  const df = new Float64Array(embedder.dims);
  // Each distinct text's vector, kept for the exact scan (offsets into one pair of arrays).
  const vectorOf = new Map<string, number>();
  const vIndex: number[] = [];
  const vValue: number[] = [];
  const vOffsets: number[] = [0];
  for (const a of articles) {
    for (const d of await chunkArticle(a)) {
      if (chunks.length >= targetChunks) break;
      const lexemes = new Map<string, number>();
      for (const t of d.searchText.split(' ').filter(Boolean)) lexemes.set(t, (lexemes.get(t) ?? 0) + 1);
      chunks.push({
        id: chunks.length + 1,
        article_id: a.id,
        kind: d.kind,
        position: d.position,
        lang: d.lang,
        content: d.content,
        search_text: d.searchText,
        content_hash: d.contentHash,
        lexemes,
        embedded: true,
      });
      let v = vectorOf.get(d.contentHash);
      if (v === undefined) {
        const s = embedder.sparse(d.embedText);
        v = vOffsets.length - 1;
        vectorOf.set(d.contentHash, v);
        for (let k = 0; k < s.index.length; k++) {
          vIndex.push(s.index[k] as number);
          vValue.push(Math.fround(Number((s.value[k] as number).toPrecision(6))));
        }
        vOffsets.push(vIndex.length);
      }
      // The IDF counts chunks, as refreshIdf's join does.
      for (let k = vOffsets[v] as number; k < (vOffsets[v + 1] as number); k++)
        if (vValue[k] !== 0) df[vIndex[k] as number] = (df[vIndex[k] as number] as number) + 1;
    }
  }
  const n = chunks.length;
  const idf = Float64Array.from(df, (d) => Number((Math.log((n + 1) / (d + 1)) + 1).toFixed(4)));
  const withChunks = new Set(chunks.map((c) => c.article_id));
  const used = articles.filter((a) => withChunks.has(a.id));
  const C = used.length;
  const random = seededRandom(options.seed);
  // Uniform in ±0.1, held as the index holds them (16 bits a weight, a scale a class).
  const weights = new Int16Array(options.intentDims * C);
  for (let i = 0; i < weights.length; i++) weights[i] = Math.round((random() - 0.5) * 2 * 32767);
  const prepareMs = since(started);
  options.onProgress?.(`  ${n} chunks of ${used.length} articles prepared in ${round(prepareMs / 1000, 1)} s`);

  const buildStarted = performance.now();
  const index = await indexFromRows(
    {
      articles: used.map((a) => ({
        id: a.id,
        title: a.title,
        lang: a.lang,
        team: a.team ?? null,
        tags: a.tags ?? [],
        status: 'published',
      })),
      chunks,
      intents: {
        classes: used.map((a) => a.id),
        weights,
        scale: new Float64Array(C).fill(0.1 / 32767),
        bias: new Float64Array(C),
        dims: options.intentDims,
      },
      idf,
    },
    { embedder, dims: embedder.dims },
  );
  const buildMs = since(buildStarted);
  const mem = memory();
  const retriever = retrieverOver(index.source, embedder, defaultTuning, { embedder: intentEmbedder });

  const exactScan = (q: Float64Array, qnorm: number, lang: string, limit: number) => {
    const dist = new Float64Array(vOffsets.length - 1);
    for (let v = 0; v < dist.length; v++) {
      let dot = 0;
      let norm = 0;
      for (let k = vOffsets[v] as number; k < (vOffsets[v + 1] as number); k++) {
        const x = vValue[k] as number;
        dot += x * (q[vIndex[k] as number] as number);
        norm += x * x;
      }
      dist[v] = 1 - dot / Math.sqrt(norm * qnorm);
    }
    const best: { id: number; d: number }[] = [];
    for (const c of chunks) {
      if (c.lang !== lang) continue;
      const d = dist[vectorOf.get(c.content_hash) as number] as number;
      if (best.length === limit && d >= (best[limit - 1] as { d: number }).d) continue;
      let i = best.length;
      while (i > 0 && (best[i - 1] as { d: number }).d > d) i--;
      best.splice(i, 0, { id: c.id, d });
      if (best.length > limit) best.pop();
    }
    return best;
  };

  const indexMs: number[] = [];
  const exactMs: number[] = [];
  const fullMs: number[] = [];
  const recalls: number[] = [];
  for (const [i, { question, lang }] of [...queries.slice(0, 5), ...queries].entries()) {
    const warm = i < 5;
    const vector = weightByIdf(await embedder.embedQuery(question), idf, defaultTuning.idfPower);
    if (!vector.some((x) => x !== 0)) continue;
    let t = performance.now();
    const found = await index.source.nearest(vector, { lang, tags: null }, defaultTuning.candidates);
    if (!warm) indexMs.push(since(t));
    t = performance.now();
    const q = Float64Array.from(vector, (x) => Math.fround(Number(x.toPrecision(6))));
    let qnorm = 0;
    for (const x of q) qnorm += x * x;
    const exact = exactScan(q, qnorm, lang, defaultTuning.candidates);
    if (!warm) exactMs.push(since(t));
    t = performance.now();
    await retriever.retrieve(question, { lang });
    if (warm) continue;
    fullMs.push(since(t));
    const truth = exact.slice(0, 10);
    const threshold = (truth.at(-1)?.d ?? 0) + 1e-6;
    const ids = new Set(truth.map((h) => h.id));
    const hits = found.slice(0, 10).filter((h) => ids.has(h.id) || 1 - h.similarity <= threshold).length;
    recalls.push(truth.length ? Math.min(1, hits / truth.length) : 1);
  }
  const index50 = summarise(indexMs);
  const exact50 = summarise(exactMs);
  return {
    target_chunks: targetChunks,
    articles: used.length,
    chunks: n,
    prepare_s: round(prepareMs / 1000),
    build_s: round(buildMs / 1000),
    memory: mem,
    index: index50,
    exact: exact50,
    speedup_p50: round(exact50.p50_ms / Math.max(0.001, index50.p50_ms), 1),
    recall_at_10: round(recalls.reduce((a, b) => a + b, 0) / Math.max(1, recalls.length), 3),
    retrieve: summarise(fullMs),
  };
}
