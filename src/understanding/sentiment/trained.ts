/**
 * The local scorer the bot uses: the trained model (`model.ts`) reading the message with the
 * lexicon's score among its features. The label is the model's most probable one. The score
 * combines the model's P(positive) − P(negative) with the lexicon's own score: when they agree
 * in sign, the one nearer zero; otherwise their mean. The model is often near-certain that a
 * plain problem report ("coupon rejected at checkout") is negative, and the hand-off thresholds
 * (NEGATIVE_SENTIMENT_THRESHOLD, a score at or below -0.9) were set on the lexicon's scale, so
 * a very negative score needs both to say so.
 */
import { LABELS, type SentimentModel, shippedSentimentModel } from './model.js';
import type { SentimentScore, SentimentScorer } from './sentiment.js';

export function trainedSentimentScorer(model: SentimentModel = shippedSentimentModel()): SentimentScorer {
  return {
    name: 'local-model',
    // Scoring is a quick in-process computation: nothing to cancel.
    async score(text: string, lang?: 'ar' | 'en', _options?: { signal?: AbortSignal }): Promise<SentimentScore> {
      const { p, lexicon } = model.probabilities(text, lang);
      const best = p.indexOf(Math.max(...p));
      const score = Math.round(combined(p[2] - p[0], lexicon) * 1e4) / 1e4;
      return { score: score === 0 ? 0 : score, label: LABELS[best] ?? 'neutral' };
    },
  };
}

/** Exported for tests. */
export function combined(model: number, lexicon: number): number {
  const x =
    model * lexicon > 0 ? Math.sign(model) * Math.min(Math.abs(model), Math.abs(lexicon)) : (model + lexicon) / 2;
  return Math.max(-1, Math.min(1, x));
}
