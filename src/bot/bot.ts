import { llmConfigured } from '../platform/config.js';
import type { Deps } from '../platform/deps.js';
import { llmSentimentScorer } from '../understanding/sentiment/llm.js';
import { localSentimentScorer } from '../understanding/sentiment/local.js';
import { llmAnswerer } from './llm.js';
import { createLlmClient } from './llm-client.js';
import { localAnswerer } from './local.js';
import type { TurnDeps } from './turn.js';

/** The bot's parts for the running configuration: local models always, the LLM when configured. */
export function botFor(deps: Pick<Deps, 'db' | 'kb' | 'config' | 'log'> & Partial<Pick<Deps, 'metrics'>>): TurnDeps {
  const local = localSentimentScorer();
  const base = {
    db: deps.db,
    kb: deps.kb,
    config: deps.config,
    log: deps.log,
    metrics: deps.metrics,
    local: localAnswerer(),
  };
  if (!llmConfigured(deps.config)) return { ...base, sentiment: local };
  const client = createLlmClient(deps.config);
  const onCall = (result: string) => deps.metrics?.llmCalls.inc({ op: 'answer', result });
  return {
    ...base,
    sentiment: llmSentimentScorer(client, deps.config.CHAT_MODEL, local, deps.log),
    localSentiment: local,
    llm: llmAnswerer(client, { model: deps.config.CHAT_MODEL, log: deps.log, onCall }),
  };
}
