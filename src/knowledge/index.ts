import { existsSync } from 'node:fs';
import { one } from '../platform/db/db.js';
import { enqueueJob, jobIdFor } from '../platform/jobs/jobs.js';
import type { Module, Platform } from '../platform/module.js';
import { createEmbedder } from './embedders.js';
import { importFolderJob, knowledgeJobs, reindexJob } from './jobs.js';
import { type KnowledgeBase, knowledgeBase } from './knowledge-base.js';
import { knowledgeRoutes } from './routes.js';

export type { KnowledgeBase } from './knowledge-base.js';
export type { Retrieval, RetrievedArticle } from './retrieve.js';

/** The knowledge base: articles, their index and retrieval; loads the sample folder on a first start. */
export function knowledgeModule(platform: Platform, options: { kb?: KnowledgeBase } = {}) {
  const { config, db, log, jobs } = platform;
  const kb = options.kb ?? knowledgeBase(db, createEmbedder(config));
  const module: Module = {
    name: 'knowledge',
    routes: () => knowledgeRoutes({ ...platform, kb }),
    jobs: knowledgeJobs(kb),
    async start() {
      const count = (await one<{ n: number }>(db, 'SELECT count(*)::int AS n FROM articles'))?.n ?? 0;
      if (count === 0 && config.LOAD_SAMPLE_KB && existsSync(config.KNOWLEDGE_BASE_DIR)) {
        const report = await jobs.run<{ created: string[]; failed: unknown[] }>(importFolderJob.name, {
          dir: config.KNOWLEDGE_BASE_DIR,
          by: 'sample',
        });
        log.info({ articles: report.created.length, failed: report.failed.length }, 'loaded the knowledge base folder');
      }
      if (await kb.needsReindex()) {
        log.warn(
          { model: kb.embedder.model },
          'embedding model changed: re-embedding the knowledge base in the background',
        );
        await enqueueJob(jobs, reindexJob, {}, { jobId: jobIdFor('reindex', kb.embedder.model) });
      }
    },
  };
  return { kb, module };
}
