import type { Db } from '../platform/db/db.js';
import { withoutClitics } from '../text/clitics.js';
import { detectLanguage, type Lang } from '../text/language.js';
import { normaliseForSearch } from '../text/normalise.js';
import { oneEditAway } from '../text/spelling.js';
import { isStopword } from '../text/stopwords.js';
import { stem, terms, tokenise } from '../text/tokenise.js';
import type { ChunkKind } from './chunk.js';
import { type Embedder, toVectorLiteral } from './embedder.js';
import { loadIdf } from './embedding-store.js';
import { features, LocalHashEmbedder, type SparseVector } from './local-embedder.js';
import { rankPassages } from './passage-rank.js';
import { headingOf } from './sections.js';
import { type ChunkHit, nearestChunks } from './vector-search.js';

export interface RetrievalOptions {
  lang?: Lang;
  tags?: string[];
  /** Articles to return. */
  limit?: number;
}

export interface RetrievedPassage {
  chunkId: number;
  kind: ChunkKind;
  /** The section whole, from its heading line (with the opening before it when that only leads into it). */
  content: string;
  similarity: number;
  /** The heading of the section it quotes; null for the article's opening. */
  heading?: string | null;
}

export interface RetrievedArticle {
  articleId: string;
  title: string;
  lang: Lang;
  team: string | null;
  tags: string[];
  /** Fused score used for ranking. */
  score: number;
  /** Best cosine similarity of any of its chunks to the query. */
  similarity: number;
  /** Share of the query's terms found in the article's matching chunks (0..1). */
  coverage: number;
  /** The intent model's probability that the question belongs to this article (0..1). */
  intent: number;
  /** Best body passages, best first (what an extractive answer quotes). */
  passages: RetrievedPassage[];
}

export interface Retrieval {
  query: string;
  lang: Lang;
  queryTerms: string[];
  /** Query terms that appear nowhere in the knowledge base: a sign the question is out of scope. */
  unknownTerms: string[];
  articles: RetrievedArticle[];
}

/** A chunk found by the vector or the full-text search (`rank` for full-text hits). */
export type Candidate = Omit<ChunkHit, 'similarity'> & { similarity?: number; rank?: number };

export interface RetrievalTuning {
  candidates: number;
  /** Reciprocal-rank fusion constant (Cormack et al. use 60); smaller favours the top ranks. */
  rrfK: number;
  vectorWeight: number;
  textWeight: number;
  /** How much an article's second-best chunk adds to its best. */
  secondWeight: number;
  /** Exponent of the knowledge-base IDF applied to lexical query vectors. */
  idfPower: number;
  /** Weight of the intent model's ranking in the fusion. */
  intentWeight: number;
  /** Fuse the intent model by its rank (like the other lists) or by its probability. */
  intentMode: 'rank' | 'probability';
}

export const defaultTuning: RetrievalTuning = {
  candidates: 60,
  rrfK: 40,
  vectorWeight: 1,
  textWeight: 0.5,
  secondWeight: 0.3,
  idfPower: 1,
  intentWeight: 2,
  intentMode: 'probability',
};

export interface Retriever {
  retrieve(query: string, options?: RetrievalOptions): Promise<Retrieval>;
}

/** The filters every candidate list applies: language (of the chunk or article) and tags. */
export interface SourceFilter {
  lang: string | null;
  tags: string[] | null;
}

/** A passage of one of the ranked articles with its similarity to the query vector. */
export interface PassageRow {
  id: number;
  article_id: string;
  position: number;
  content: string;
  /** Stemmed terms of the article's title and the passage (what passage ranking compares). */
  search_text: string;
  similarity: number;
}

export interface ArticleMeta {
  id: string;
  title: string;
  lang: Lang;
  team: string | null;
  tags: string[];
}

/**
 * Where retrieval reads its candidates: the database (the truth, and what a throw-away
 * transaction sees) or the in-memory index of the published knowledge base. Both return the
 * same rows in the same order, so one scoring function ranks them identically.
 */
export interface RetrievalSource {
  /** The lexical model's knowledge-base IDF, or undefined (none yet, or a dense model). */
  idf(): Promise<ArrayLike<number> | undefined>;
  /** The `limit` nearest chunks by cosine similarity, nearest first. */
  nearest(vector: ArrayLike<number>, filter: SourceFilter, limit: number): Promise<ChunkHit[]>;
  /** Chunks matching any of the terms, by ts_rank_cd(…, 1) then id; `rank` set. */
  fullText(terms: string[], filter: SourceFilter, limit: number): Promise<Candidate[]>;
  /** The intent model's 20 best published articles by logit, best first. */
  intentLogits(features: SparseVector, filter: SourceFilter): Promise<{ article_id: string; logit: number }[]>;
  /** Terms found in no chunk. */
  unknownTerms(terms: string[]): Promise<string[]>;
  articles(ids: string[]): Promise<ArticleMeta[]>;
  /** Every passage chunk of these articles, most similar first. */
  passages(vector: ArrayLike<number>, ids: string[]): Promise<PassageRow[]>;
}

/**
 * Hybrid retrieval: pgvector nearest chunks (HNSW, cosine) and full-text matches over
 * normalised, stemmed terms, fused by reciprocal rank and grouped by article. Title, example
 * questions and passages are all chunks, so a customer's wording can match any of them.
 */
export function createRetriever(
  db: Pick<Db, 'query' | 'transaction'>,
  embedder: Embedder,
  model: { model: string; dims: number },
  tuning: RetrievalTuning = defaultTuning,
  intentModel?: { embedder: LocalHashEmbedder },
): Retriever {
  return retrieverOver(sqlSource(db, embedder, model, intentModel), embedder, tuning, intentModel);
}

/** The database as the source: what every query read before the in-memory index. */
export function sqlSource(
  db: Pick<Db, 'query' | 'transaction'>,
  embedder: Embedder,
  model: { model: string; dims: number },
  intentModel?: { embedder: LocalHashEmbedder },
): RetrievalSource {
  let idfCache: { updated: string; idf: Float64Array } | undefined;
  const d = model.dims;
  return {
    async idf() {
      if (!embedder.lexical) return undefined;
      const idf = await loadIdf(db, model.model);
      if (!idf) return undefined;
      if (idfCache?.updated !== idf.updated) idfCache = { updated: idf.updated, idf: Float64Array.from(idf.idf) };
      return idfCache.idf;
    },
    async nearest(vector, filter, limit) {
      const { hits } = await nearestChunks(db, {
        vector: toVectorLiteral(vector),
        model: model.model,
        dims: d,
        lang: filter.lang,
        tags: filter.tags,
        limit,
      });
      return hits;
    },
    async fullText(terms, filter, limit) {
      return db.query<Candidate>(fullTextSql(limit), [tsQueryOf(terms), filter.lang, filter.tags]);
    },
    async intentLogits(features, filter) {
      if (!intentModel) return [];
      const dense = new Float64Array(intentModel.embedder.dims);
      for (let k = 0; k < features.index.length; k++) dense[features.index[k] as number] = features.value[k] as number;
      return db.query<{ article_id: string; logit: number }>(intentLogitsSql(intentModel.embedder.dims), [
        toVectorLiteral(dense),
        intentModel.embedder.model,
        filter.lang,
        filter.tags,
      ]);
    },
    async unknownTerms(terms) {
      const rows = await db.query<{ t: string }>(
        `SELECT t FROM unnest($1::text[]) AS t WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.tsv @@ plainto_tsquery('simple', t))`,
        [terms],
      );
      return rows.map((r) => r.t);
    },
    articles(ids) {
      return db.query<ArticleMeta>('SELECT id, title, lang, team, tags FROM articles WHERE id = ANY($1::text[])', [
        ids,
      ]);
    },
    passages(vector, ids) {
      return db.query<PassageRow>(
        `SELECT c.id::int AS id, c.article_id, c.position, c.content, c.search_text, 1 - (e.embedding::vector(${d}) <=> $1::vector(${d})) AS similarity
         FROM chunks c JOIN embeddings e ON e.content_hash = c.content_hash AND e.model = $2
         WHERE c.article_id = ANY($3::text[]) AND c.kind = 'passage'
         ORDER BY similarity DESC`,
        [toVectorLiteral(vector), model.model, ids],
      );
    },
  };
}

/** The scoring: one function whatever the source, so the index and the database rank alike. */
export function retrieverOver(
  source: RetrievalSource,
  embedder: Embedder,
  tuning: RetrievalTuning = defaultTuning,
  intentModel?: { embedder: LocalHashEmbedder },
): Retriever {
  const CANDIDATES = tuning.candidates;

  async function queryVector(query: string): Promise<ArrayLike<number>> {
    // The local embedder's typed array as it is: a number[] of 2,000 dimensions per question
    // was most of what a retrieval allocated.
    const v = embedder instanceof LocalHashEmbedder ? embedder.vector(query) : await embedder.embedQuery(query);
    if (!embedder.lexical) return v;
    const idf = await source.idf();
    if (!idf) return v;
    return weightByIdf(v, idf, tuning.idfPower);
  }

  /** Intent-model probabilities of the best articles (softmax over their logits), best first. */
  async function intentScores(query: string, filter: SourceFilter): Promise<Map<string, number>> {
    if (!intentModel) return new Map();
    const rows = await source.intentLogits(intentModel.embedder.sparse(query), filter);
    const max = Math.max(...rows.map((r) => Number(r.logit)));
    const exp = rows.map((r) => Math.exp(Number(r.logit) - max));
    const sum = exp.reduce((a, b) => a + b, 0) || 1;
    return new Map(rows.map((r, i) => [r.article_id, (exp[i] as number) / sum]));
  }

  /**
   * The query as retrieval reads it, its terms, and those the knowledge base has nowhere. An
   * Arabic word it does not know is read without its clitics when the knowledge base knows
   * that (ببطاقتي → بطاقتي, بحكيلي → بحكي): the light stemmer cannot cut a leading ب or ل
   * itself, since as many words begin with one (بطاقة). Failing that, a Latin word one typing
   * slip from exactly one term the knowledge base knows is read as that word ("refnud" → refund).
   */
  async function searchable(query: string): Promise<{ text: string; queryTerms: string[]; unknownTerms: string[] }> {
    const queryTerms = [...new Set(terms(query))];
    const unknownTerms = queryTerms.length ? await source.unknownTerms(queryTerms) : [];
    if (unknownTerms.length === 0) return { text: query, queryTerms, unknownTerms };
    const unknown = new Set(unknownTerms);
    const cuts = new Map<string, string>();
    for (const word of tokenise(query)) {
      if (isStopword(word) || !unknown.has(stem(word))) continue;
      const cut = withoutClitics(word);
      if (cut !== undefined && !isStopword(cut)) cuts.set(word, cut);
      else {
        const corrected = await onlyKnownSpelling(word);
        if (corrected !== undefined) cuts.set(word, corrected);
      }
    }
    if (cuts.size === 0) return { text: query, queryTerms, unknownTerms };
    const stillUnknown = new Set(await source.unknownTerms([...new Set([...cuts.values()].map(stem))]));
    for (const [word, cut] of cuts) if (stillUnknown.has(stem(cut))) cuts.delete(word);
    if (cuts.size === 0) return { text: query, queryTerms, unknownTerms };
    const text = normaliseForSearch(query).replace(/[\p{L}\p{M}]+/gu, (w) => cuts.get(w) ?? w);
    const rewritten = [...new Set(terms(text))];
    return { text, queryTerms: rewritten, unknownTerms: await source.unknownTerms(rewritten) };
  }

  /** The one spelling a slip away from the word whose term the knowledge base knows, if only one is. */
  async function onlyKnownSpelling(word: string): Promise<string | undefined> {
    const byTerm = new Map<string, string>();
    for (const spelling of oneEditAway(word)) if (!isStopword(spelling)) byTerm.set(stem(spelling), spelling);
    if (byTerm.size === 0) return undefined;
    const unknown = new Set(await source.unknownTerms([...byTerm.keys()]));
    const known = [...byTerm].filter(([term]) => !unknown.has(term));
    return known.length === 1 ? known[0]?.[1] : undefined;
  }

  return {
    async retrieve(query, options = {}) {
      const lang = options.lang ?? detectLanguage(query).lang;
      const { text, queryTerms, unknownTerms } = await searchable(query);
      const limit = options.limit ?? 5;
      const filter: SourceFilter = {
        lang: options.lang ?? null,
        tags: options.tags?.length ? options.tags : null,
      };
      const vector = await queryVector(text);
      // No word to search for ("?", "👍"): every similarity would be undefined (a zero vector).
      if (!Array.prototype.some.call(vector, (x: number) => x !== 0))
        return { query, lang, queryTerms, unknownTerms: [], articles: [] };

      const vectorHits = await source.nearest(vector, filter, CANDIDATES);
      const textHits = queryTerms.length ? await source.fullText(queryTerms, filter, CANDIDATES) : [];

      const chunks = new Map<number, FusedCandidate>();
      vectorHits.forEach((h, i) => {
        chunks.set(
          h.id,
          fusedCandidate(h, Number(h.similarity), undefined, tuning.vectorWeight / (tuning.rrfK + i + 1)),
        );
      });
      textHits.forEach((h, i) => {
        const seen = chunks.get(h.id);
        const add = tuning.textWeight / (tuning.rrfK + i + 1);
        if (seen) {
          seen.fused += add;
          seen.rank = Number(h.rank);
        } else chunks.set(h.id, fusedCandidate(h, undefined, Number(h.rank), add));
      });

      const intents = await intentScores(text, filter);
      const byArticle = new Map<string, FusedCandidate[]>();
      for (const c of chunks.values()) {
        const list = byArticle.get(c.article_id) ?? [];
        list.push(c);
        byArticle.set(c.article_id, list);
      }
      for (const id of intents.keys()) if (!byArticle.has(id)) byArticle.set(id, []);
      const intentRank = new Map([...intents.keys()].map((id, i) => [id, i]));
      const ranked = [...byArticle.entries()]
        .map(([articleId, list]) => {
          list.sort((a, b) => b.fused - a.fused);
          const rank = intentRank.get(articleId);
          const score =
            (list[0]?.fused ?? 0) +
            tuning.secondWeight * (list[1]?.fused ?? 0) +
            (rank === undefined
              ? 0
              : tuning.intentMode === 'rank'
                ? tuning.intentWeight / (tuning.rrfK + rank + 1)
                : (tuning.intentWeight * (intents.get(articleId) ?? 0)) / (tuning.rrfK + 1));
          return { articleId, list, score };
        })
        .sort((a, b) => b.score - a.score)
        .slice(0, limit)
        // Coverage and similarity for the articles kept only: splitting every candidate's words
        // was a fifth of a retrieval's time.
        .map(({ articleId, list, score }) => {
          const coverage = queryTerms.length
            ? queryTerms.filter((t) => list.some((c) => holdsTerm(c.search_text, t))).length / queryTerms.length
            : 0;
          const similarity = Math.max(0, ...list.map((c) => c.similarity ?? 0));
          return { articleId, score, coverage, similarity, intent: intents.get(articleId) ?? 0 };
        });
      if (ranked.length === 0) return { query, lang, queryTerms, unknownTerms, articles: [] };

      const ids = ranked.map((r) => r.articleId);
      const meta = await source.articles(ids);
      const passages = await source.passages(vector, ids);
      const metaById = new Map(meta.map((m) => [m.id, m]));
      const passageQuery = { terms: queryTerms, text, features: features(text) };
      return {
        query,
        lang,
        queryTerms,
        unknownTerms,
        articles: ranked.map((r) => {
          const m = metaById.get(r.articleId)!;
          return {
            ...r,
            title: m.title,
            lang: m.lang,
            team: m.team,
            tags: m.tags,
            passages: rankedPassages(
              passageQuery,
              m.title,
              passages.filter((p) => p.article_id === r.articleId),
            ),
          };
        }),
      };
    },
  };
}

/**
 * The article's passages best first (what an extractive answer quotes): the section whose
 * words and heading match the question's distinguishing words, or the opening for a question
 * about the whole topic (see passage-rank.ts).
 */
function rankedPassages(
  query: { terms: string[]; text: string; features: ReadonlyMap<string, number> },
  title: string,
  rows: PassageRow[],
): RetrievedPassage[] {
  // In article order: ties go to the earlier, more general section.
  const ordered = [...rows].sort((a, b) => a.position - b.position);
  const ranked = rankPassages(
    query,
    title,
    ordered.map((p) => ({
      position: p.position,
      content: p.content,
      searchText: p.search_text,
      similarity: Number(p.similarity),
    })),
  );
  return ranked.slice(0, 3).map(({ index, leadIn }) => {
    const p = ordered[index] as PassageRow;
    const lead = leadIn === undefined ? undefined : ordered[leadIn];
    return {
      chunkId: p.id,
      kind: 'passage' as const,
      content: lead ? `${lead.content.trim()}\n\n${p.content}` : p.content,
      similarity: Number(p.similarity),
      heading: headingOf(p.content),
    };
  });
}

type FusedCandidate = Candidate & { fused: number };

/** The fields ranking reads, in one shape for both lists (a spread of each hit was slower and larger). */
function fusedCandidate(h: Candidate, similarity: number | undefined, rank: number | undefined, fused: number) {
  const c: FusedCandidate = {
    id: h.id,
    article_id: h.article_id,
    kind: h.kind,
    content: h.content,
    search_text: h.search_text,
    similarity,
    rank,
    fused,
  };
  return c;
}

/** Whether space-separated search text holds the term as a whole word (without splitting it). */
function holdsTerm(searchText: string, term: string): boolean {
  for (let at = searchText.indexOf(term); at !== -1; at = searchText.indexOf(term, at + 1)) {
    const end = at + term.length;
    if ((at === 0 || searchText[at - 1] === ' ') && (end === searchText.length || searchText[end] === ' ')) return true;
  }
  return false;
}

/** Any of the terms, as a tsquery (terms are already normalised and stemmed). */
export function tsQueryOf(terms: string[]): string {
  return terms.map((t) => `'${t.replace(/['\\:&|!()<>*]/g, '')}'`).join(' | ');
}

/** A lexical query vector weighted by the knowledge base's IDF, L2-normalised again. */
export function weightByIdf(v: ArrayLike<number>, idf: ArrayLike<number>, power: number): Float64Array {
  let norm = 0;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    if (x === 0) continue;
    const w = x * (idf[i] ?? 1) ** power;
    out[i] = w;
    norm += w * w;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / norm;
  return out;
}

/** The intent model's 20 best articles by logit. Parameters: $1 features, $2 model, $3 lang, $4 tags. */
export function intentLogitsSql(d: number): string {
  return `SELECT i.article_id, i.bias - (i.weights::vector(${d}) <#> $1::vector(${d})) AS logit
       FROM article_intents i JOIN articles a ON a.id = i.article_id
       WHERE i.model = $2 AND a.status = 'published'
         AND ($3::text IS NULL OR a.lang = $3) AND ($4::text[] IS NULL OR a.tags && $4::text[])
       ORDER BY logit DESC LIMIT 20`;
}

/** Full-text matches over the stemmed search text. Parameters: $1 tsquery, $2 lang, $3 tags. */
export function fullTextSql(limit: number): string {
  return `SELECT c.id::int AS id, c.article_id, c.kind, c.content, c.search_text, ts_rank_cd(c.tsv, q, 1) AS rank
             FROM chunks c JOIN articles a ON a.id = c.article_id, to_tsquery('simple', $1) q
             WHERE c.tsv @@ q AND a.status = 'published'
               AND ($2::text IS NULL OR c.lang = $2) AND ($3::text[] IS NULL OR a.tags && $3::text[])
             ORDER BY rank DESC, c.id
             LIMIT ${limit}`;
}
