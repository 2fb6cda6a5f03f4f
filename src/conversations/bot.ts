import { llmAnswerer } from '../answer/llm.js';
import { createLlmClient } from '../answer/llm-client.js';
import { localAnswerer } from '../answer/local.js';
import { llmConfigured } from '../config.js';
import type { Deps } from '../deps.js';
import { llmSentimentScorer } from '../sentiment/llm.js';
import { localSentimentScorer } from '../sentiment/local.js';
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
