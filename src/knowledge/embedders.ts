import type { Config } from '../platform/config.js';
import { llmConfigured } from '../platform/config.js';
import type { Embedder } from './embedder.js';
import { LocalHashEmbedder } from './local-embedder.js';
import { OpenAIEmbedder } from './openai-embedder.js';

/** The configured embedder: OpenAI-compatible when a key or base URL is set, else local. */
export function createEmbedder(config: Config): Embedder {
  const kind = config.EMBEDDER ?? (llmConfigured(config) ? 'openai' : 'local');
  if (kind === 'local') return new LocalHashEmbedder();
  return new OpenAIEmbedder({
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    model: config.EMBEDDING_MODEL,
    dimensions: config.EMBEDDING_DIMENSIONS,
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
  });
}
