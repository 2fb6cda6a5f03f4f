import OpenAI from 'openai';
import type { Config } from '../platform/config.js';

/**
 * One client for OpenAI or any compatible server. The SDK retries 429 and 5xx with backoff
 * up to LLM_MAX_RETRIES times and gives up after LLM_TIMEOUT_MS per attempt: that is the
 * bounded budget before a turn falls back. The timeout only covers the wait for the response
 * headers, so a streamed reply that stalls half-way is bounded by the caller's `signal` instead.
 */
export function createLlmClient(
  config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'LLM_TIMEOUT_MS' | 'LLM_MAX_RETRIES'>,
): OpenAI {
  return new OpenAI({
    apiKey: config.OPENAI_API_KEY ?? 'not-needed',
    baseURL: config.OPENAI_BASE_URL,
    timeout: config.LLM_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
    // Resolved per call so test doubles of fetch installed later are honoured.
    fetch: (url, init) => globalThis.fetch(url, init),
  });
}
