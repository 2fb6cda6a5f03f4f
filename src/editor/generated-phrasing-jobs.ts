import { createLlmClient } from '../bot/llm-client.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { llmConfigured } from '../platform/config.js';
import { enqueueJob, jobIdFor, processor } from '../platform/jobs/jobs.js';
import type { Module, Platform } from '../platform/module.js';
import { paraphraseAll, paraphraseJob, sweepJobId } from './generated-phrasing.js';

/**
 * LLM_PARAPHRASES in the running service: after every change to the index this process makes
 * (a folder load, an article published or edited, a reindex), a job paraphrases what has no
 * paraphrases yet. Its id is the published knowledge base's state, so one state is swept once;
 * the sweep's own re-indexing changes no article, so it does not start another.
 */
export function paraphrasing(platform: Platform, kb: KnowledgeBase): Pick<Module, 'jobs' | 'start' | 'stop'> {
  const { config, db, jobs, log } = platform;
  if (!config.LLM_PARAPHRASES || !llmConfigured(config)) return {};
  const client = createLlmClient(config);
  const deps = { db, client, config, log };
  let unsubscribe: (() => void) | undefined;
  const sweep = async () => {
    try {
      const id = await sweepJobId(db);
      await enqueueJob(jobs, paraphraseJob, {}, { jobId: jobIdFor(id), attempts: 3 });
    } catch (error) {
      log.warn({ err: error }, 'could not queue paraphrasing; the next change to the knowledge base tries again');
    }
  };
  return {
    jobs: [
      processor(paraphraseJob, async ({ articleIds }) => {
        const stats = await paraphraseAll(deps, { articleIds, index: (ids) => kb.indexMany(ids) });
        if (stats.failed) throw new Error(`paraphrasing failed for ${stats.failed} article(s)`);
        return stats;
      }),
    ],
    async start() {
      unsubscribe = kb.onIndexChange(() => void sweep());
      await sweep();
    },
    async stop() {
      unsubscribe?.();
    },
  };
}
