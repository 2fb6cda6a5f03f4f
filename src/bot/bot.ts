import { Counter, type Registry } from 'prom-client';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Config } from '../platform/config.js';
import { llmConfigured } from '../platform/config.js';
import type { Logger } from '../platform/log.js';
import { llmSentimentScorer } from '../understanding/sentiment/llm.js';
import { trainedSentimentScorer } from '../understanding/sentiment/trained.js';
import type { BotDeps } from './decide.js';
import { llmAnswerer } from './llm.js';
import { createLlmClient } from './llm-client.js';
import { localAnswerer } from './local.js';
import { modelAssists } from './model-assists.js';

/** The bot's own counters; labels never carry personal data. */
export function botMetrics(registry: Registry) {
  return {
    decisions: new Counter({
      name: 'sanad_decisions_total',
      help: 'Bot decisions by kind (answer, small_talk, clarify, handoff, silent)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    handoffs: new Counter({
      name: 'sanad_handoffs_total',
      help: 'Hand-offs by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    llmCalls: new Counter({
      name: 'sanad_llm_calls_total',
      help: 'Model calls by operation and result',
      labelNames: ['op', 'result'] as const,
      registers: [registry],
    }),
  };
}

export type BotMetrics = ReturnType<typeof botMetrics>;

/** The bot's parts for the running configuration: local models always, the LLM when configured. */
export function botFor(deps: { kb: KnowledgeBase; config: Config; log: Logger; metrics?: BotMetrics }): BotDeps {
  const local = trainedSentimentScorer();
  const base = { kb: deps.kb, config: deps.config, log: deps.log, local: localAnswerer(), localSentiment: local };
  if (!llmConfigured(deps.config)) return { ...base, sentiment: local };
  const client = createLlmClient(deps.config);
  const onCall = (result: string) => deps.metrics?.llmCalls.inc({ op: 'answer', result });
  return {
    ...base,
    sentiment: llmSentimentScorer(client, deps.config.CHAT_MODEL, local, deps.log),
    llm: llmAnswerer(client, { model: deps.config.CHAT_MODEL, log: deps.log, onCall }),
    assists: modelAssists(client, deps.config, deps.log, (op, result) => deps.metrics?.llmCalls.inc({ op, result })),
  };
}
