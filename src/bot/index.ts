import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Module, Platform } from '../platform/module.js';
import type { Lang } from '../text/language.js';
import { botFor, botMetrics } from './bot.js';
import { type DecideOptions, decide } from './decide.js';
import type { ConversationSnapshot, Decision, IncomingMessage } from './decision.js';
import { type Draft, draft } from './draft.js';

export {
  CONTENT_TYPES,
  type ContentType,
  type ConversationSnapshot,
  type Decision,
  type DecisionKind,
  type HandoffCandidate,
  type IncomingMessage,
} from './decision.js';
export type { Draft } from './draft.js';
export { HANDOFF_REASONS, type HandoffReason, handoffNotice } from './policy.js';

export type Decide = (
  message: IncomingMessage,
  snapshot: ConversationSnapshot,
  options?: DecideOptions,
) => Promise<Decision>;

/** The bot as the inbox sees it: one function from a message and a snapshot to a decision. */
export type DraftReply = (message: { content: string; lang: Lang }) => Promise<Draft>;

export function botModule(
  platform: Platform,
  kb: KnowledgeBase,
): { decide: Decide; draft: DraftReply; module: Module } {
  const metrics = botMetrics(platform.metrics.registry);
  // The threshold is read per customer language in decide (answerThreshold).
  const deps = botFor({ kb, config: platform.config, log: platform.log, metrics });
  return {
    async decide(message, snapshot, options) {
      const decision = await decide(deps, message, snapshot, options);
      metrics.decisions.inc({ kind: decision.kind });
      if (decision.kind === 'handoff') metrics.handoffs.inc({ reason: decision.reason });
      return decision;
    },
    draft: (message) => draft(deps, message),
    module: { name: 'bot' },
  };
}
