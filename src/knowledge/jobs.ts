import { z } from 'zod';
import { defineJob, type JobRunner, jobIdFor, processor } from '../platform/jobs/jobs.js';
import type { Logger } from '../platform/log.js';
import type { Article } from './article.js';
import type { KnowledgeBase } from './knowledge-base.js';

export const indexArticleJob = defineJob('kb-index-article', (p) => z.object({ articleId: z.string() }).parse(p));
export const importFolderJob = defineJob('kb-import-folder', (p) =>
  z.object({ dir: z.string(), by: z.string().nullable().optional() }).parse(p),
);
export const reindexJob = defineJob('kb-reindex', () => ({}));

/** Knowledge-base jobs: plain functions of their payload, run by either job runner. */
export function knowledgeJobs(kb: KnowledgeBase) {
  const percent = (done: number, total: number) => Math.round((100 * done) / Math.max(1, total));
  return [
    processor(indexArticleJob, ({ articleId }) => kb.index(articleId)),
    processor(importFolderJob, ({ dir, by }, ctx) =>
      kb.importFolder(dir, {
        by,
        onProgress: (done, total, file) => void ctx.progress(percent(done, total), { done, total, file }),
      }),
    ),
    processor(reindexJob, (_payload, ctx) =>
      kb.reindex((done, total) => void ctx.progress(percent(done, total), { done, total })),
    ),
  ];
}

/** The job names, for callers that enqueue by name (the routes, kb-ingest). */
export const KB_JOBS = {
  indexArticle: indexArticleJob.name,
  importFolder: importFolderJob.name,
  reindex: reindexJob.name,
} as const;

/** Queues the index job for the article's new version; indexes inline if the queue is down. */
export async function indexSoon(deps: { jobs: JobRunner; kb: KnowledgeBase; log: Logger }, article: Article) {
  try {
    await deps.jobs.enqueue(
      KB_JOBS.indexArticle,
      { articleId: article.id },
      { jobId: jobIdFor('kb-index', article.id, article.version) },
    );
  } catch (error) {
    deps.log.warn({ err: error, articleId: article.id }, 'could not queue the index job; indexing inline');
    await deps.kb.index(article.id);
  }
}
