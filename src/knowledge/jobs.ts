import { z } from 'zod';
import type { Deps } from '../platform/deps.js';
import type { JobHandler } from '../platform/jobs/jobs.js';

export const KB_JOBS = {
  indexArticle: 'kb-index-article',
  importFolder: 'kb-import-folder',
  reindex: 'kb-reindex',
} as const;

const indexPayload = z.object({ articleId: z.string() });
const importPayload = z.object({ dir: z.string(), by: z.string().nullable().optional() });

/** Knowledge-base jobs: plain functions of their payload, run by either job runner. */
export function knowledgeJobs(deps: () => Deps): Record<string, JobHandler> {
  return {
    [KB_JOBS.indexArticle]: async (payload) => deps().kb.index(indexPayload.parse(payload).articleId),
    [KB_JOBS.importFolder]: async (payload, ctx) => {
      const { dir, by } = importPayload.parse(payload);
      return deps().kb.importFolder(dir, {
        by,
        onProgress: (done, total, file) =>
          void ctx.progress(Math.round((100 * done) / Math.max(1, total)), { done, total, file }),
      });
    },
    [KB_JOBS.reindex]: async (_payload, ctx) =>
      deps().kb.reindex(
        (done, total) => void ctx.progress(Math.round((100 * done) / Math.max(1, total)), { done, total }),
      ),
  };
}
