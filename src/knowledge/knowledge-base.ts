import type { Db } from '../platform/db/db.js';
import { collectGarbage } from '../platform/gc.js';
import type { ArticleContent } from './article.js';
import { createArticle, getArticle, updateArticle } from './articles.js';
import type { Embedder } from './embedder.js';
import { activeModel, ensureVectorIndex, pruneEmbeddings, refreshIdf, setActiveModel } from './embedding-store.js';
import { type FileProblem, readFolder } from './folder.js';
import { type IndexStats, indexArticle } from './index-article.js';
import { refreshIntentModel } from './intent-model.js';
import { type LoadOptions, type LoadReport, loadArticles } from './load-articles.js';
import { LocalHashEmbedder } from './local-embedder.js';
import { buildMemoryIndex, type MemoryIndex } from './memory-index.js';
import { createRetriever, defaultTuning, type Retriever, retrieverOver, sqlSource } from './retrieve.js';

export interface ImportReport {
  files: number;
  created: string[];
  updated: string[];
  unchanged: string[];
  failed: FileProblem[];
  embedded: number;
}

export const INTENT_DIMS = 8192;

export type Progress = (done: number, total: number, detail?: string) => void;

/**
 * The knowledge base as the rest of the service sees it: write articles, keep the index in
 * step, and search. One embedder is configured; the active model is the one whose vectors
 * are complete.
 */
export function knowledgeBase(db: Db, embedder: Embedder, options: { memoryIndex?: boolean } = {}) {
  let retrieverFor: { model: string; retriever: Retriever } | undefined;
  // The in-memory index of the published knowledge base (lexical models): built on first use
  // and again after every change this process makes or hears of. `generation` counts changes;
  // an index built at an older generation is not used, the database answers until the new one
  // is ready, so no turn waits for a build and none reads a stale knowledge base.
  const useMemory = options.memoryIndex ?? true;
  let generation = 0;
  let active: { generation: number; value: { model: string; dims: number } } | undefined;
  let memory: { generation: number; model: string; index: MemoryIndex; retriever: Retriever } | undefined;
  let building: Promise<void> | undefined;
  const changeListeners = new Set<() => void>();

  // The intent model always uses local features, whatever embedder serves the vectors, in a
  // wider space than HNSW allows: it is scored by an exact scan over articles, and fewer
  // hash collisions keep Arabic character n-grams apart.
  const intentEmbedder = new LocalHashEmbedder(INTENT_DIMS);

  async function afterIndexChange() {
    // PGlite has no autovacuum: without fresh statistics the planner joins a newly loaded
    // base's chunks in a nested loop (bench: 144 ms instead of 4 ms a query at 1000 articles).
    await db.query('ANALYZE articles, chunks, embeddings');
    if (embedder.lexical) await refreshIdf(db, embedder.model, embedder.dims);
    await refreshIntentModel(db, intentEmbedder);
    changed();
    for (const fn of changeListeners) fn();
  }

  function changed() {
    generation++;
  }

  async function activeNow(): Promise<{ model: string; dims: number }> {
    if (active?.generation === generation) return active.value;
    const at = generation;
    const stored = await activeModel(db);
    // Only a known model is kept: before the first index nothing is active yet.
    if (stored) active = { generation: at, value: stored };
    return stored ?? { model: embedder.model, dims: embedder.dims };
  }

  /** Builds the index for the current generation (again while changes keep coming). */
  function build(model: { model: string; dims: number }, serving: LocalHashEmbedder): Promise<void> {
    building ??= (async () => {
      try {
        while (memory?.generation !== generation || memory.model !== model.model) {
          const at = generation;
          const fallback = sqlSource(db, serving, model, { embedder: intentEmbedder });
          const index = await buildMemoryIndex(db, { embedder: serving, model, intentEmbedder, fallback });
          memory = {
            generation: at,
            model: model.model,
            index,
            retriever: retrieverOver(index.source, serving, defaultTuning, { embedder: intentEmbedder }),
          };
        }
        collectGarbage();
      } finally {
        building = undefined;
      }
    })();
    return building;
  }

  async function ensureActive() {
    const active = await activeModel(db);
    if (!active) {
      await ensureVectorIndex(db, embedder.model, embedder.dims);
      await setActiveModel(db, embedder.model, embedder.dims);
    }
  }

  const kb = {
    embedder,

    /** Writes one article (new version when changed) and re-indexes it. */
    async save(
      content: ArticleContent,
      meta: { by?: string | null; note?: string | null; sourcePath?: string | null } = {},
    ) {
      const result = await db.transaction(async (tx) => {
        const current = await getArticle(tx, content.id);
        if (!current) return { article: await createArticle(tx, content, meta), change: 'created' as const };
        const { article, changed } = await updateArticle(tx, current, content, meta);
        return { article, change: changed.length ? ('updated' as const) : ('unchanged' as const) };
      });
      return result;
    },

    async index(articleId: string): Promise<IndexStats> {
      await ensureActive();
      const stats = await indexArticle(db, embedder, articleId);
      if (stats.written || stats.removed) await afterIndexChange();
      else changed();
      return stats;
    },

    /** Several articles, with the knowledge-base-wide refresh (IDF, intent model) once at the end. */
    async indexMany(articleIds: string[]): Promise<IndexStats[]> {
      await ensureActive();
      const stats: IndexStats[] = [];
      for (const id of articleIds) stats.push(await indexArticle(db, embedder, id));
      if (stats.some((s) => s.written || s.removed)) await afterIndexChange();
      return stats;
    },

    /**
     * Loads parsed articles in bulk (see loadArticles), then refreshes the knowledge-base-wide
     * parts once: each article is all or nothing.
     */
    async load(
      items: { file: string; article: ArticleContent }[],
      options: Omit<LoadOptions, 'save'> = {},
    ): Promise<LoadReport> {
      await ensureActive();
      const report = await loadArticles(db, embedder, items, { ...options, save: kb.save });
      if (report.touched) await afterIndexChange();
      return report;
    },

    /** Loads a folder: each file is all or nothing; the report lists every file that failed. */
    async importFolder(
      dir: string,
      options: { by?: string | null; onProgress?: Progress } = {},
    ): Promise<ImportReport> {
      const { articles, failed } = await readFolder(dir);
      const loaded = await kb.load(articles, {
        by: options.by,
        onProgress: (done, total, phase, file) => {
          if (phase === 'saving') options.onProgress?.(done, total, file);
        },
      });
      const report: ImportReport = {
        files: articles.length + failed.length,
        created: [],
        updated: [],
        unchanged: [],
        failed,
        embedded: loaded.embedded,
      };
      for (const o of loaded.outcomes) {
        if (o.change) report[o.change].push(o.id);
        if (o.problem) report.failed.push(o.problem);
      }
      return report;
    },

    /**
     * Re-embeds every chunk with the configured model, then switches retrieval to it and drops
     * the old model's vectors. Until it finishes, retrieval keeps using the old model.
     */
    async reindex(onProgress?: Progress): Promise<{ model: string; embedded: number }> {
      await ensureVectorIndex(db, embedder.model, embedder.dims);
      const ids = await db.query<{ id: string }>("SELECT id FROM articles WHERE status = 'published' ORDER BY id");
      let embedded = 0;
      for (const [i, { id }] of ids.entries()) {
        embedded += (await indexArticle(db, embedder, id)).embedded;
        onProgress?.(i + 1, ids.length, id);
      }
      await setActiveModel(db, embedder.model, embedder.dims);
      await pruneEmbeddings(db, embedder.model);
      await afterIndexChange();
      return { model: embedder.model, embedded };
    },

    /**
     * Waits until the in-memory index reflects every change known so far (the bench and the
     * eval measure it; the service never waits: the database answers meanwhile).
     */
    async ready(): Promise<MemoryIndex['stats'] | undefined> {
      const active = await activeNow();
      const serving = active.model === embedder.model ? embedder : localEmbedderFor(active);
      if (!useMemory || !(serving instanceof LocalHashEmbedder)) return undefined;
      while (memory?.generation !== generation || memory.model !== active.model) await build(active, serving);
      return memory.index.stats;
    },

    /** Where the in-memory index stands (for /readyz): the database answers while it is not ready. */
    indexStatus(): {
      state: 'ready' | 'building' | 'stale' | 'off';
      articles?: number;
      chunks?: number;
      buildMs?: number;
    } {
      if (!useMemory || !embedder.lexical) return { state: 'off' };
      if (memory?.generation === generation)
        return {
          state: 'ready',
          articles: memory.index.stats.articles,
          chunks: memory.index.stats.chunks,
          buildMs: memory.index.stats.ms,
        };
      return { state: building ? 'building' : 'stale' };
    },

    /** Resolves once no index build is running (shutdown waits for it before the database closes). */
    async settled(): Promise<void> {
      await building?.catch(() => {});
    },

    /** Another process changed the index (an outbox event): the next retrieval reads anew. */
    indexChanged() {
      changed();
    },

    /** Called after this process changed the index (the module announces it to the others). */
    onIndexChange(fn: () => void): () => void {
      changeListeners.add(fn);
      return () => void changeListeners.delete(fn);
    },

    /** One article as stored (any status), for routing by its team. */
    article: (id: string) => getArticle(db, id),

    async needsReindex(): Promise<boolean> {
      const active = await activeModel(db);
      return Boolean(active && active.model !== embedder.model);
    },

    /** A retriever over the active model's vectors (the configured embedder once reindexed). */
    async retriever(): Promise<Retriever> {
      const active = await activeNow();
      // While a reindex runs, the old vectors still serve when their embedder can be rebuilt here.
      const serving = active.model === embedder.model ? embedder : localEmbedderFor(active);
      if (!serving) throw new RetrievalUnavailableError(active.model, embedder.model);
      if (useMemory && serving instanceof LocalHashEmbedder) {
        if (memory?.generation === generation && memory.model === active.model) return memory.retriever;
        build(active, serving).catch(() => {
          // The database keeps answering; the next call tries again.
        });
      }
      if (retrieverFor?.model !== active.model)
        retrieverFor = {
          model: active.model,
          retriever: createRetriever(db, serving, active, defaultTuning, { embedder: intentEmbedder }),
        };
      return retrieverFor.retriever;
    },
  };
  return kb;
}

export type KnowledgeBase = ReturnType<typeof knowledgeBase>;

/** Retrieval cannot run: the active vectors' model is neither configured nor local. */
export class RetrievalUnavailableError extends Error {
  constructor(active: string, configured: string) {
    super(`Retrieval waits for the reindex from ${active} to ${configured}`);
  }
}

function localEmbedderFor(active: { model: string; dims: number }): LocalHashEmbedder | undefined {
  const local = new LocalHashEmbedder(active.dims);
  return local.model === active.model ? local : undefined;
}
