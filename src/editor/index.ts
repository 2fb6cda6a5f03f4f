import { OpenAPIHono } from '@hono/zod-openapi';
import { indexSoon } from '../knowledge/jobs.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { AppEnv } from '../platform/http/env.js';
import { Problem } from '../platform/http/problem.js';
import type { Module, Platform } from '../platform/module.js';
import { answerDiffRoutes } from './answer-diff-routes.js';
import { gapRoutes } from './gap-routes.js';
import { paraphrasing } from './generated-phrasing-jobs.js';
import { acceptPhrasing, autoAccepts, proposeFromConversation } from './learned-phrasing.js';
import { phrasingRoutes } from './phrasing-routes.js';

export { answerDiff } from './answer-diff.js';
export { draftFromGap, findKnowledgeGaps, type KnowledgeGap } from './knowledge-gaps.js';
export { acceptPhrasing, listPhrasings, proposeFromConversation } from './learned-phrasing.js';

/** Who accepted a phrasing when nobody clicked: the editor setting did. */
export const AUTO_ACCEPTED_BY = 'learned phrasing (auto-accept)';

/**
 * The knowledge editor's tools: knowledge gaps, learned phrasing and the answer diff. It reads
 * what the inbox stored and writes articles through the knowledge base, so it sits downstream
 * of both; learned phrasing hears of resolved conversations through the outbox.
 */
export function editorModule(platform: Platform, kb: KnowledgeBase): Module {
  const { db, events, jobs, log } = platform;
  const paraphrases = paraphrasing(platform, kb);
  return {
    name: 'editor',
    jobs: paraphrases.jobs,
    start: paraphrases.start,
    stop: paraphrases.stop,
    routes: () => {
      const app = new OpenAPIHono<AppEnv>();
      app.route('/', gapRoutes(platform));
      app.route('/', phrasingRoutes(platform, kb));
      app.route('/', answerDiffRoutes(platform, kb));
      return app;
    },
    subscribers: [
      {
        name: 'editor-learned-phrasing',
        on: ['conversation.resolved'],
        async handle(event) {
          if (!event.conversationId) return;
          const proposed = await proposeFromConversation(db, event.conversationId);
          if (!proposed || !(await autoAccepts(db))) return;
          try {
            const { article, changed } = await acceptPhrasing(events, proposed, AUTO_ACCEPTED_BY);
            if (changed.length) await indexSoon({ jobs, kb, log }, article);
          } catch (error) {
            // Archived meanwhile, or full: the proposal waits for an editor instead of failing the event.
            if (!(error instanceof Problem && error.status === 409)) throw error;
            log.info({ phrasingId: proposed, problem: error.slug }, 'learned phrasing left for an editor');
          }
        },
      },
    ],
  };
}
