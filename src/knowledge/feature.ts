import { existsSync } from 'node:fs';
import { one } from '../platform/db/db.js';
import { jobIdFor } from '../platform/jobs/jobs.js';
import type { Feature } from '../platform/server.js';
import { KB_JOBS, knowledgeJobs } from './jobs.js';
import { knowledgeRoutes } from './routes.js';

export const knowledgeFeature: Feature = {
  routes: knowledgeRoutes,
  jobs: knowledgeJobs,
  async onStart(deps) {
    const { config, db, kb, log, jobs } = deps;
    const count = (await one<{ n: number }>(db, 'SELECT count(*)::int AS n FROM articles'))?.n ?? 0;
    if (count === 0 && config.LOAD_SAMPLE_KB && existsSync(config.KNOWLEDGE_BASE_DIR)) {
      const report = await jobs.run<{ created: string[]; failed: unknown[] }>(KB_JOBS.importFolder, {
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
      await jobs.enqueue(KB_JOBS.reindex, {}, { jobId: jobIdFor('reindex', kb.embedder.model) });
    }
  },
};
