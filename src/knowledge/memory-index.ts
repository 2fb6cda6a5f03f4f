import type { Queryable } from '../platform/db/db.js';
import { type ChunkKind, hashText } from './chunk.js';
import { parseVector } from './embedder.js';
import { loadIdf } from './embedding-store.js';
import type { LocalHashEmbedder } from './local-embedder.js';
import { PREPARED_CACHE_SIZE, preparePassages } from './passage-rank.js';
import type { ArticleMeta, Candidate, PassageRow, RetrievalSource, SourceFilter } from './retrieve.js';
import { tsQueryOf } from './retrieve.js';
import { parseTsQuery, parseTsVector } from './tsvector.js';
import type { ChunkHit } from './vector-search.js';

/**
 * The published knowledge base in this process's memory, for retrieval without a round trip:
 * every chunk with its lexemes (as Postgres's full-text index holds them) and its lexical
 * vector, the articles, the intent model's weights and the IDF. Postgres stays the truth: the
 * index is rebuilt from it when the knowledge base changes, and every answer it gives is the
 * one the SQL queries give (same candidates, same order), only without the database.
 *
 * Vectors and weights are kept as pgvector stores them (6 significant digits, float4) and the
 * query is rounded the same way, so similarities match the database's to float precision.
 */
export interface MemoryIndex {
  source: RetrievalSource;
  stats: { articles: number; chunks: number; embeddings: number; lexemes: number; intentClasses: number; ms: number };
}

interface Built {
  articles: ArticleMeta[];
  articleIndex: Map<string, number>;
  articlePublished: Uint8Array;
  // Chunks, in id order.
  chunkId: Float64Array;
  chunkArticle: Int32Array;
  chunkKind: ChunkKind[];
  chunkPosition: Int32Array;
  chunkLang: string[];
  chunkContent: string[];
  chunkSearch: string[];
  chunkEmbedding: Int32Array;
  chunkLength: Int32Array;
  passagesOf: Map<number, number[]>;
  // Lexical vectors, one per distinct embedded text: postings by dimension, and each vector's norm.
  dims: number;
  postOffsets: Int32Array;
  postEmbedding: Int32Array;
  postValue: Float32Array;
  embeddingNorm: Float64Array;
  // Lexemes: chunk postings with the number of positions.
  lexemes: Map<string, number>;
  lexOffsets: Int32Array;
  lexChunk: Int32Array;
  lexCount: Int32Array;
  // The intent model, feature-major: the few features of a query each touch one contiguous row.
  intent?: { classes: Int32Array; weights: Int16Array; scale: Float64Array; bias: Float64Array; dims: number };
  idf?: Float64Array;
}

/** A value as a pgvector literal stores it: 6 significant digits, then float4. */
const stored = (x: number) => (x === 0 || !Number.isFinite(x) ? 0 : Math.fround(Number(x.toPrecision(6))));

const CHUNK_PAGE = 1000;

// ts_rank_cd's weight of an unweighted (D) lexeme, as Postgres computes it: 1 / (1 / 0.1f).
const COVER = 1 / (1 / Math.fround(0.1));

/** A chunk as the index takes it: its lexemes as Postgres's parser produced them, with position counts. */
export interface IndexChunk {
  id: number;
  article_id: string;
  kind: ChunkKind;
  position: number;
  lang: string;
  content: string;
  search_text: string;
  content_hash: string;
  lexemes: Map<string, number>;
  /** Whether the model has a vector for it (the SQL joins embeddings for vectors and passages). */
  embedded: boolean;
}

/**
 * The intent model, feature-major (`weights[f * classes.length + c]`), each class's weights in
 * 16 bits: `weights × scale[c]` is the stored weight to within half a step of 1/32767 of the
 * class's largest, so a logit moves by under 1e-3 and the ranking is the database's but for
 * near-ties. Half the memory of 32 bits: 15 MB at a thousand articles' 8192 features.
 */
export interface IndexIntents {
  classes: string[];
  weights: Int16Array;
  scale: Float64Array;
  bias: Float64Array;
  dims: number;
}

/** One class's weights in 16 bits, and the scale that gives them back. */
function quantizeClass(w: ArrayLike<number>): { q: Int16Array; scale: number } {
  let max = 0;
  for (let f = 0; f < w.length; f++) max = Math.max(max, Math.abs(w[f] as number));
  const scale = max > 0 ? max / 32767 : 1;
  return { q: Int16Array.from(w as ArrayLike<number>, (x) => Math.round(x / scale)), scale };
}

/** Classes' quantized weights, one array each, laid out feature-major. */
function intentsFeatureMajor(columns: Int16Array[], dims: number): Int16Array {
  const C = columns.length;
  const weights = new Int16Array(dims * C);
  for (const [c, q] of columns.entries()) for (let f = 0; f < dims; f++) weights[f * C + c] = q[f] as number;
  return weights;
}

export interface IndexRows {
  articles: (ArticleMeta & { status: string })[];
  chunks: IndexChunk[];
  intents?: IndexIntents;
  idf?: Float64Array;
}

/** Builds the index from the database: every article and chunk, the intent model and the IDF. */
export async function buildMemoryIndex(
  db: Queryable,
  options: {
    embedder: LocalHashEmbedder;
    model: { model: string; dims: number };
    intentEmbedder?: LocalHashEmbedder;
    fallback: RetrievalSource;
  },
): Promise<MemoryIndex> {
  const started = performance.now();
  const { embedder, model, intentEmbedder } = options;
  const articles = await db.query<ArticleMeta & { status: string }>(
    'SELECT id, title, lang, team, tags, status FROM articles ORDER BY id',
  );
  // Every chunk: unknown terms are looked up over all of them, as the SQL does.
  // In pages, for the same reason as the intents' weights.
  const chunks: IndexChunk[] = [];
  for (let after = 0; ; ) {
    const page = await db.query<Omit<IndexChunk, 'lexemes'> & { tsv: string }>(
      `SELECT c.id::int AS id, c.article_id, c.kind, c.position, c.lang, c.content, c.search_text, c.content_hash,
              c.tsv::text AS tsv, EXISTS (SELECT 1 FROM embeddings e WHERE e.content_hash = c.content_hash AND e.model = $1) AS embedded
       FROM chunks c WHERE c.id > $2 ORDER BY c.id LIMIT ${CHUNK_PAGE}`,
      [model.model, after],
    );
    for (const { tsv, ...c } of page) chunks.push({ ...c, lexemes: parseTsVector(tsv) });
    if (page.length < CHUNK_PAGE) break;
    after = (page.at(-1) as { id: number }).id;
  }
  const idfRow = embedder.lexical ? await loadIdf(db, model.model) : undefined;
  const index = await indexFromRows(
    {
      articles,
      chunks,
      ...(intentEmbedder ? { intents: await loadIntents(db, intentEmbedder) } : {}),
      ...(idfRow ? { idf: Float64Array.from(idfRow.idf) } : {}),
    },
    {
      embedder,
      dims: model.dims,
      db,
      fallback: options.fallback,
      readVectors: async (hashes) => {
        const out = new Map<string, { index: Int32Array; value: Float32Array }>();
        for (let i = 0; i < hashes.length; i += 256) {
          const found = await db.query<{ content_hash: string; embedding: string }>(
            'SELECT content_hash, embedding::text AS embedding FROM embeddings WHERE model = $1 AND content_hash = ANY($2::text[])',
            [model.model, hashes.slice(i, i + 256)],
          );
          for (const r of found) out.set(r.content_hash, sparseOf(parseVector(r.embedding)));
        }
        return out;
      },
    },
  );
  index.stats.ms = Math.round(performance.now() - started);
  return index;
}

/**
 * Prepares what passage ranking reads of each published article (its passages' terms and
 * features), in the background build rather than in a customer's turn. Passages in article
 * order, as retrieval gives them.
 */
function warmPassages(b: Built): void {
  let warmed = 0;
  for (const [a, list] of b.passagesOf) {
    const meta = b.articles[a];
    if (!meta || !b.articlePublished[a] || warmed++ >= PREPARED_CACHE_SIZE) continue;
    const passages = [...list]
      .sort((x, y) => (b.chunkPosition[x] as number) - (b.chunkPosition[y] as number))
      .map((c) => ({
        position: b.chunkPosition[c] as number,
        content: b.chunkContent[c] as string,
        searchText: b.chunkSearch[c] as string,
        similarity: 0,
      }));
    preparePassages(meta.title, passages);
  }
}

/**
 * The index over rows already read (the database's, or the bench's synthetic ones). Without a
 * database, terms Postgres would parse specially are split on punctuation instead.
 */
export async function indexFromRows(
  rows: IndexRows,
  options: {
    embedder: LocalHashEmbedder;
    dims: number;
    db?: Queryable;
    fallback?: RetrievalSource;
    readVectors?: (hashes: string[]) => Promise<Map<string, { index: Int32Array; value: Float32Array }>>;
  },
): Promise<MemoryIndex> {
  const started = performance.now();
  const { embedder } = options;
  const articles: ArticleMeta[] = rows.articles.map(({ status: _s, ...a }) => a);
  const articleIndex = new Map(articles.map((a, i) => [a.id, i]));
  const articlePublished = Uint8Array.from(rows.articles, (a) => (a.status === 'published' ? 1 : 0));
  const chunks = rows.chunks;
  const n = chunks.length;
  const chunkId = new Float64Array(n);
  const chunkArticle = new Int32Array(n);
  const chunkPosition = new Int32Array(n);
  const chunkEmbedding = new Int32Array(n).fill(-1);
  const chunkLength = new Int32Array(n);
  const chunkKind: ChunkKind[] = new Array(n);
  const chunkLang: string[] = new Array(n);
  const chunkContent: string[] = new Array(n);
  const chunkSearch: string[] = new Array(n);
  const passagesOf = new Map<number, number[]>();

  // Lexical vectors are recomputed from the text whose hash the chunk carries (the same
  // function made the stored vector); a text that no longer hashes the same is read instead.
  const embeddingOf = new Map<string, number>();
  const vectors: { index: Int32Array; value: Float32Array }[] = [];
  const toRead: string[] = [];
  const lexPostings = new Map<string, number[]>();
  for (const [i, c] of chunks.entries()) {
    const a = articleIndex.get(c.article_id) ?? -1;
    chunkId[i] = Number(c.id);
    chunkArticle[i] = a;
    chunkKind[i] = c.kind;
    chunkPosition[i] = c.position;
    chunkLang[i] = c.lang;
    chunkContent[i] = c.content;
    chunkSearch[i] = c.search_text;
    if (c.kind === 'passage') {
      const list = passagesOf.get(a) ?? [];
      list.push(i);
      passagesOf.set(a, list);
    }
    let length = 0;
    for (const [lexeme, count] of c.lexemes) {
      length += count;
      const p = lexPostings.get(lexeme) ?? [];
      if (p.length === 0) lexPostings.set(lexeme, p);
      p.push(i, count);
    }
    chunkLength[i] = length;
    if (!c.embedded) continue;
    let e = embeddingOf.get(c.content_hash);
    if (e === undefined) {
      e = vectors.length;
      embeddingOf.set(c.content_hash, e);
      const title = articles[a]?.title;
      const text = c.kind === 'passage' ? `${title}\n${c.content}` : c.content;
      if (title !== undefined && hashText(text) === c.content_hash) vectors.push(sparseStored(embedder.sparse(text)));
      else {
        vectors.push({ index: new Int32Array(0), value: new Float32Array(0) });
        toRead.push(c.content_hash);
      }
    }
    chunkEmbedding[i] = e;
  }
  if (toRead.length && options.readVectors)
    for (const [hash, v] of await options.readVectors(toRead)) vectors[embeddingOf.get(hash) as number] = v;

  // Postings by dimension (compressed rows), vectors in increasing dimension order.
  const dims = options.dims;
  const postOffsets = new Int32Array(dims + 1);
  const embeddingNorm = new Float64Array(vectors.length);
  for (const [e, v] of vectors.entries()) {
    let norm = 0;
    for (let k = 0; k < v.index.length; k++) {
      postOffsets[(v.index[k] as number) + 1]++;
      norm += (v.value[k] as number) * (v.value[k] as number);
    }
    embeddingNorm[e] = Math.sqrt(norm);
  }
  for (let d = 0; d < dims; d++) postOffsets[d + 1] = (postOffsets[d + 1] as number) + (postOffsets[d] as number);
  const total = postOffsets[dims] as number;
  const postEmbedding = new Int32Array(total);
  const postValue = new Float32Array(total);
  const fill = postOffsets.slice(0, dims);
  for (const [e, v] of vectors.entries()) {
    for (let k = 0; k < v.index.length; k++) {
      const at = fill[v.index[k] as number]++ as number;
      postEmbedding[at] = e;
      postValue[at] = v.value[k] as number;
    }
  }

  const lexemes = new Map<string, number>();
  const lexOffsets = new Int32Array(lexPostings.size + 1);
  let lexTotal = 0;
  for (const p of lexPostings.values()) lexTotal += p.length / 2;
  const lexChunk = new Int32Array(lexTotal);
  const lexCount = new Int32Array(lexTotal);
  let at = 0;
  for (const [lexeme, p] of lexPostings) {
    lexemes.set(lexeme, lexemes.size);
    for (let k = 0; k < p.length; k += 2) {
      lexChunk[at] = p[k] as number;
      lexCount[at] = p[k + 1] as number;
      at++;
    }
    lexOffsets[lexemes.size] = at;
  }

  const intents = rows.intents;
  const built: Built = {
    articles,
    articleIndex,
    articlePublished,
    chunkId,
    chunkArticle,
    chunkKind,
    chunkPosition,
    chunkLang,
    chunkContent,
    chunkSearch,
    chunkEmbedding,
    chunkLength,
    passagesOf,
    dims,
    postOffsets,
    postEmbedding,
    postValue,
    embeddingNorm,
    lexemes,
    lexOffsets,
    lexChunk,
    lexCount,
    ...(intents
      ? {
          intent: {
            classes: Int32Array.from(intents.classes, (id) => articleIndex.get(id) ?? -1),
            weights: intents.weights,
            scale: intents.scale,
            bias: intents.bias,
            dims: intents.dims,
          },
        }
      : {}),
    ...(rows.idf ? { idf: rows.idf } : {}),
  };
  warmPassages(built);
  return {
    source: memorySource(built, options.db, options.fallback),
    stats: {
      articles: articles.length,
      chunks: n,
      embeddings: vectors.length,
      lexemes: lexemes.size,
      intentClasses: built.intent?.classes.length ?? 0,
      ms: Math.round(performance.now() - started),
    },
  };
}

function sparseStored(v: { index: Int32Array; value: Float64Array }): { index: Int32Array; value: Float32Array } {
  const order = Array.from(v.index.keys()).sort((a, b) => (v.index[a] as number) - (v.index[b] as number));
  return {
    index: Int32Array.from(order, (k) => v.index[k] as number),
    value: Float32Array.from(order, (k) => stored(v.value[k] as number)),
  };
}

function sparseOf(dense: number[]): { index: Int32Array; value: Float32Array } {
  const index: number[] = [];
  for (let i = 0; i < dense.length; i++) if (dense[i] !== 0) index.push(i);
  return { index: Int32Array.from(index), value: Float32Array.from(index, (i) => dense[i] as number) };
}

async function loadIntents(db: Queryable, embedder: LocalHashEmbedder): Promise<IndexIntents> {
  const D = embedder.dims;
  const classes: string[] = [];
  const biases: number[] = [];
  const columns: Int16Array[] = [];
  const scales: number[] = [];
  // In pages, each parsed before the next is read: a thousand articles' weights as text are a
  // few hundred megabytes, and what PGlite allocates for one result it keeps for good.
  for (let after = ''; ; ) {
    const page = await db.query<{ article_id: string; bias: number; weights: string }>(
      `SELECT article_id, bias, weights::text AS weights FROM article_intents
       WHERE model = $1 AND article_id > $2 ORDER BY article_id LIMIT 64`,
      [embedder.model, after],
    );
    for (const r of page) {
      classes.push(r.article_id);
      biases.push(Math.fround(Number(r.bias)));
      const { q, scale } = quantizeClass(parseVector(r.weights));
      columns.push(q);
      scales.push(scale);
    }
    if (page.length < 64) break;
    after = (page.at(-1) as { article_id: string }).article_id;
  }
  return {
    classes,
    weights: intentsFeatureMajor(columns, D),
    scale: Float64Array.from(scales),
    bias: Float64Array.from(biases),
    dims: D,
  };
}

/** Keeps the `limit` best of a stream of (key, tie) pairs: smaller key first, then smaller tie. */
class TopK {
  readonly items: number[] = [];
  private keys: number[] = [];
  private ties: number[] = [];
  constructor(private readonly limit: number) {}
  offer(item: number, key: number, tie: number) {
    const n = this.keys.length;
    if (n === this.limit) {
      const lastKey = this.keys[n - 1] as number;
      if (!(key < lastKey || (key === lastKey && tie < (this.ties[n - 1] as number)))) return;
    }
    let i = n;
    while (i > 0) {
      const k = this.keys[i - 1] as number;
      if (k < key || (k === key && (this.ties[i - 1] as number) <= tie)) break;
      i--;
    }
    this.keys.splice(i, 0, key);
    this.ties.splice(i, 0, tie);
    this.items.splice(i, 0, item);
    if (this.keys.length > this.limit) {
      this.keys.pop();
      this.ties.pop();
      this.items.pop();
    }
  }
}

/** Parsed to_tsquery / plainto_tsquery forms of unusual terms ("1,000", "up.i"), asked of Postgres once. */
type TermParse = { query: string[] | null; plain: string[] };
const SIMPLE_TERM = /^[\p{L}\p{N}]+$/u;
/** "isn't", "i'm": Postgres splits them at the apostrophe, and the query form drops it (checked). */
const APOSTROPHE_TERM = /^[a-z0-9]+(?:'[a-z0-9]+)+$/;

function memorySource(b: Built, db?: Queryable, fallback?: RetrievalSource): RetrievalSource {
  const parsed = new Map<string, TermParse>();

  async function parse(terms: string[]): Promise<Map<string, TermParse>> {
    const out = new Map<string, TermParse>();
    const ask: string[] = [];
    for (const t of terms) {
      // A plain word is its own lexeme for the 'simple' configuration, in both parsers.
      if (SIMPLE_TERM.test(t)) out.set(t, { query: [t], plain: [t] });
      else if (APOSTROPHE_TERM.test(t)) out.set(t, { query: [t.replaceAll("'", '')], plain: t.split("'") });
      else if (parsed.has(t)) out.set(t, parsed.get(t) as TermParse);
      else ask.push(t);
    }
    if (ask.length && !db) {
      for (const t of ask) {
        const parts = t.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
        out.set(t, { query: [parts.join('')].filter(Boolean), plain: parts });
      }
    } else if (ask.length && db) {
      const rows = await db.query<{ t: string; q: string; p: string }>(
        `SELECT t, to_tsquery('simple', q)::text AS q, plainto_tsquery('simple', t)::text AS p
         FROM unnest($1::text[], $2::text[]) AS x (t, q)`,
        [ask, ask.map((t) => tsQueryOf([t]))],
      );
      if (parsed.size > 50_000) parsed.clear();
      for (const r of rows) {
        const q = parseTsQuery(r.q);
        const p = parseTsQuery(r.p) ?? [];
        const entry = { query: q && q.length <= 1 ? q : null, plain: p };
        parsed.set(r.t, entry);
        out.set(r.t, entry);
      }
    }
    return out;
  }

  const passes = (c: number, filter: SourceFilter) => {
    const a = b.chunkArticle[c] as number;
    if (a < 0 || !b.articlePublished[a]) return false;
    if (filter.lang !== null && b.chunkLang[c] !== filter.lang) return false;
    return filter.tags === null || overlaps((b.articles[a] as ArticleMeta).tags, filter.tags);
  };

  // The nearest chunks and then the passages are scored against the same query vector.
  const lastDistances = new WeakMap<ArrayLike<number>, Float64Array>();

  /** Cosine distance of every embedding to the query, as pgvector computes it (NaN for a zero vector). */
  function distances(vector: ArrayLike<number>): Float64Array {
    const cached = lastDistances.get(vector);
    if (cached) return cached;
    const q = new Float64Array(b.dims);
    let qnorm = 0;
    for (let d = 0; d < b.dims; d++) {
      const x = stored(vector[d] ?? 0);
      q[d] = x;
      qnorm += x * x;
    }
    const dot = new Float64Array(b.embeddingNorm.length);
    for (let d = 0; d < b.dims; d++) {
      const x = q[d] as number;
      if (x === 0) continue;
      for (let k = b.postOffsets[d] as number, end = b.postOffsets[d + 1] as number; k < end; k++) {
        const e = b.postEmbedding[k] as number;
        dot[e] = (dot[e] as number) + x * (b.postValue[k] as number);
      }
    }
    const qn = Math.sqrt(qnorm);
    for (let e = 0; e < dot.length; e++) {
      let s = (dot[e] as number) / ((b.embeddingNorm[e] as number) * qn);
      if (s > 1) s = 1;
      else if (s < -1) s = -1;
      dot[e] = 1 - s;
    }
    lastDistances.set(vector, dot);
    return dot;
  }

  return {
    async idf() {
      return b.idf;
    },

    async nearest(vector, filter, limit) {
      const distance = distances(vector);
      const top = new TopK(limit);
      for (let c = 0; c < b.chunkId.length; c++) {
        const e = b.chunkEmbedding[c] as number;
        if (e < 0 || !passes(c, filter)) continue;
        const dist = distance[e] as number;
        // NaN (a zero vector) sorts after every number, as in Postgres.
        top.offer(c, Number.isNaN(dist) ? Number.POSITIVE_INFINITY : dist, b.chunkId[c] as number);
      }
      return top.items.map(
        (c): ChunkHit => ({
          id: b.chunkId[c] as number,
          article_id: (b.articles[b.chunkArticle[c] as number] as ArticleMeta).id,
          kind: b.chunkKind[c] as ChunkKind,
          content: b.chunkContent[c] as string,
          search_text: b.chunkSearch[c] as string,
          similarity: 1 - (distance[b.chunkEmbedding[c] as number] as number),
        }),
      );
    },

    async fullText(terms, filter, limit) {
      const forms = await parse(terms);
      const lexemes = new Set<number>();
      for (const t of terms) {
        const q = forms.get(t)?.query;
        // A term Postgres reads as a phrase ("1,000"): its cover ranking is the database's to compute.
        if (q === null && fallback) return fallback.fullText(terms, filter, limit);
        for (const lexeme of q ?? []) {
          const id = b.lexemes.get(lexeme);
          if (id !== undefined) lexemes.add(id);
        }
      }
      // ts_rank_cd with an OR query: every matching position is a cover of weight 0.1,
      // normalised by log(1 + the document's length); Postgres returns it as float4.
      const positions = new Map<number, number>();
      for (const id of lexemes) {
        for (let k = b.lexOffsets[id] as number, end = b.lexOffsets[id + 1] as number; k < end; k++) {
          const c = b.lexChunk[k] as number;
          positions.set(c, (positions.get(c) ?? 0) + (b.lexCount[k] as number));
        }
      }
      const top = new TopK(limit);
      const rank = new Map<number, number>();
      for (const [c, count] of positions) {
        if (!passes(c, filter)) continue;
        let w = 0;
        for (let i = 0; i < count; i++) w += COVER;
        const r = Math.fround(w / Math.log((b.chunkLength[c] as number) + 1));
        rank.set(c, r);
        top.offer(c, -r, b.chunkId[c] as number);
      }
      return top.items.map(
        (c): Candidate => ({
          id: b.chunkId[c] as number,
          article_id: (b.articles[b.chunkArticle[c] as number] as ArticleMeta).id,
          kind: b.chunkKind[c] as ChunkKind,
          content: b.chunkContent[c] as string,
          search_text: b.chunkSearch[c] as string,
          rank: rank.get(c) as number,
        }),
      );
    },

    async intentLogits(features, filter) {
      const m = b.intent;
      if (!m) return [];
      const C = m.classes.length;
      const sums = new Float64Array(C);
      // Only the query's non-zero features, in ascending order as the dense scan summed them.
      const order = Array.from(features.index.keys()).sort(
        (i, j) => (features.index[i] as number) - (features.index[j] as number),
      );
      for (const k of order) {
        const f = features.index[k] as number;
        const x = stored(features.value[k] as number);
        if (x === 0 || f >= m.dims) continue;
        const row = f * C;
        for (let c = 0; c < C; c++) sums[c] = (sums[c] as number) + x * (m.weights[row + c] as number);
      }
      const logits = Float64Array.from(m.bias, (bias, c) => bias + (sums[c] as number) * (m.scale[c] as number));
      const top = new TopK(20);
      for (let c = 0; c < C; c++) {
        const a = m.classes[c] as number;
        if (a < 0 || !b.articlePublished[a]) continue;
        const article = b.articles[a] as ArticleMeta;
        if (filter.lang !== null && article.lang !== filter.lang) continue;
        if (filter.tags !== null && !overlaps(article.tags, filter.tags)) continue;
        top.offer(c, -(logits[c] as number), c);
      }
      return top.items.map((c) => ({
        article_id: (b.articles[m.classes[c] as number] as ArticleMeta).id,
        logit: logits[c] as number,
      }));
    },

    async unknownTerms(terms) {
      const forms = await parse(terms);
      return terms.filter((t) => {
        const plain = (forms.get(t) as TermParse).plain;
        return plain.length === 0 || !someChunkHasAll(b, plain);
      });
    },

    async articles(ids) {
      return ids.flatMap((id) => {
        const a = b.articleIndex.get(id);
        return a === undefined ? [] : [b.articles[a] as ArticleMeta];
      });
    },

    async passages(vector, ids) {
      const distance = distances(vector);
      const rows: PassageRow[] = [];
      for (const id of ids) {
        for (const c of b.passagesOf.get(b.articleIndex.get(id) ?? -1) ?? []) {
          const e = b.chunkEmbedding[c] as number;
          if (e < 0) continue;
          rows.push({
            id: b.chunkId[c] as number,
            article_id: id,
            position: b.chunkPosition[c] as number,
            content: b.chunkContent[c] as string,
            search_text: b.chunkSearch[c] as string,
            similarity: 1 - (distance[e] as number),
          });
        }
      }
      return rows.sort((x, y) => y.similarity - x.similarity || x.id - y.id);
    },
  };
}

function overlaps(a: string[], b: string[]): boolean {
  return a.some((t) => b.includes(t));
}

function someChunkHasAll(b: Built, lexemes: string[]): boolean {
  const lists = lexemes.map((l) => b.lexemes.get(l));
  if (lists.some((id) => id === undefined)) return false;
  const [first, ...rest] = (lists as number[]).sort(
    (x, y) =>
      (b.lexOffsets[x + 1] as number) -
      (b.lexOffsets[x] as number) -
      ((b.lexOffsets[y + 1] as number) - (b.lexOffsets[y] as number)),
  );
  let candidates = new Set<number>();
  for (let k = b.lexOffsets[first as number] as number; k < (b.lexOffsets[(first as number) + 1] as number); k++)
    candidates.add(b.lexChunk[k] as number);
  for (const id of rest) {
    const next = new Set<number>();
    for (let k = b.lexOffsets[id] as number; k < (b.lexOffsets[id + 1] as number); k++) {
      const c = b.lexChunk[k] as number;
      if (candidates.has(c)) next.add(c);
    }
    candidates = next;
    if (candidates.size === 0) return false;
  }
  return candidates.size > 0;
}
