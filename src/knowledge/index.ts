import { enqueueJob, jobIdFor } from '../platform/jobs/jobs.js';
import type { Module, Platform } from '../platform/module.js';
import { createEmbedder } from './embedders.js';
import { folderSync } from './folder-sync.js';
import { knowledgeJobs, reindexJob } from './jobs.js';
import { type KnowledgeBase, knowledgeBase } from './knowledge-base.js';
import { knowledgeRoutes } from './routes.js';

export type { KnowledgeBase } from './knowledge-base.js';
export type { Retrieval, RetrievedArticle } from './retrieve.js';

/**
 * The knowledge base: articles, their index and retrieval; keeps the knowledge-base folder
 * loaded (what is missing or changed, at every start, retried until done).
 */
export function knowledgeModule(
  platform: Platform,
  options: { kb?: KnowledgeBase; print?: (text: string) => void } = {},
) {
  const { config, db, log, jobs } = platform;
  const kb = options.kb ?? knowledgeBase(db, createEmbedder(config));
  const print = options.print ?? ((text: string) => process.stderr.write(text));
  const folder = folderSync({
    db,
    kb,
    log,
    dir: config.KNOWLEDGE_BASE_DIR,
    retryMs: config.KB_LOAD_RETRY_MS,
    print: (line) => print(`${line}\n`),
  });
  const module: Module = {
    name: 'knowledge',
    routes: () => knowledgeRoutes({ ...platform, kb }),
    jobs: knowledgeJobs(kb),
    async start() {
      if (config.LOAD_SAMPLE_KB) await folder.start();
      if (await kb.needsReindex()) {
        log.warn(
          { model: kb.embedder.model },
          'embedding model changed: re-embedding the knowledge base in the background',
        );
        await enqueueJob(jobs, reindexJob, {}, { jobId: jobIdFor('reindex', kb.embedder.model) });
      }
      // Asking for a retriever starts the in-memory index's build in the background, so the
      // first customers' turns do not fall back to the database while it is built.
      await kb.retriever().catch(() => {
        // Retrieval waits for a reindex: the build starts with the first turn after it.
      });
    },
    async stop() {
      await folder.stop();
      await kb.settled();
    },
    // Articles still missing leave the service degraded, not unready: it answers what it has and
    // hands the rest to people, where a 503 would take it out of the load balancer altogether.
    readiness() {
      const { badFiles, ...status } = folder.status();
      return {
        ok: status.state !== 'incomplete' && status.state !== 'loading',
        essential: false,
        ...status,
        badFiles: badFiles.map((f) => f.file),
        index: kb.indexStatus(),
      };
    },
  };
  return { kb, module, folder };
}
