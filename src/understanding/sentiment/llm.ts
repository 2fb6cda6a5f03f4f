import type OpenAI from 'openai';
import { z } from 'zod';
import type { Logger } from '../../platform/log.js';
import { labelFor, type SentimentScore, type SentimentScorer } from './sentiment.js';

const output = z.object({ score: z.number().min(-1).max(1) });

const INSTRUCTIONS =
  'Rate the sentiment of a customer-service message (Arabic, Gulf dialect, MSA or English) from -1 (angry, upset) ' +
  'through 0 (neutral question or request) to 1 (happy, grateful). Complaints about delays or missing replies are negative. ' +
  'Reply with only JSON: {"score": number}.';

/**
 * Sentiment from the configured model; any failure, an aborted signal included, falls back to
 * the local scorer.
 */
export function llmSentimentScorer(
  client: OpenAI,
  model: string,
  fallback: SentimentScorer,
  log: Logger,
): SentimentScorer {
  return {
    name: `llm:${model}`,
    async score(text, lang, options): Promise<SentimentScore> {
      try {
        const res = await client.chat.completions.create(
          {
            model,
            temperature: 0,
            response_format: { type: 'json_object' },
            messages: [
              { role: 'system', content: INSTRUCTIONS },
              { role: 'user', content: text.slice(0, 2000) },
            ],
          },
          { signal: options?.signal },
        );
        const parsed = output.safeParse(JSON.parse(res.choices[0]?.message?.content ?? ''));
        if (parsed.success) return { score: parsed.data.score, label: labelFor(parsed.data.score) };
      } catch (error) {
        // A cancelled turn is the caller's decision, not a model fault worth a warning.
        if (options?.signal?.aborted) log.info('model sentiment cancelled; using the local scorer');
        else log.warn({ err: error }, 'model sentiment failed; using the local scorer');
      }
      return fallback.score(text, lang);
    },
  };
}
