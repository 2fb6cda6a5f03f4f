/**
 * Sentiment of a customer's message: one number in -1..1 and the label it falls into.
 * Scorers are interchangeable (the local lexicon scorer, an LLM-backed one), so the
 * conversation turn and the evaluation command only ever see this interface.
 */
export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface SentimentScore {
  /** -1 (very negative) .. 1 (very positive); 0 is neutral. */
  score: number;
  label: SentimentLabel;
}

export interface SentimentScorer {
  readonly name: string;
  /**
   * `lang` is a hint; when absent the scorer detects the language itself. Aborting `signal`
   * cuts a model call short; the scorer still answers (from its fallback).
   */
  score(text: string, lang?: 'ar' | 'en', options?: { signal?: AbortSignal }): Promise<SentimentScore>;
}

/** Scores at or below this are negative. Slightly nearer zero than the positive side:
 *  in customer service a missed complaint costs more than a missed compliment. */
export const NEGATIVE_THRESHOLD = -0.25;
/** Scores at or above this are positive. */
export const POSITIVE_THRESHOLD = 0.3;

export function labelFor(score: number): SentimentLabel {
  if (!Number.isFinite(score)) return 'neutral';
  if (score <= NEGATIVE_THRESHOLD) return 'negative';
  if (score >= POSITIVE_THRESHOLD) return 'positive';
  return 'neutral';
}

/**
 * A lexicon as written by hand, before normalisation. Keys are words or phrases of up to
 * three tokens; a key ending in `*` matches any word starting with it (one token only).
 */
export interface SentimentLexicon {
  /** Word or phrase → polarity in -1..1. */
  words: Readonly<Record<string, number>>;
  /**
   * Words that carry no feeling on their own but become a complaint when negated
   * ("arrived" / "never arrived", "يرد" / "ما أحد يرد"): [affirmed, negated] weights.
   */
  expectations: Readonly<Record<string, readonly [number, number]>>;
  /** Words that flip or damp the polarity of what follows within a short window, with the
   *  polarity they carry themselves (usually 0; "nobody" already leans negative). */
  negators: Readonly<Record<string, number>>;
  /** Word or phrase → multiplier on the nearest sentiment word (>1 boosts, <1 damps). */
  intensifiers: Readonly<Record<string, number>>;
  /** "but" words: what follows them outweighs what came before. */
  contrast: readonly string[];
  /** Words that open a question ("how", "هل"); positive words in questions count less. */
  questionWords: readonly string[];
}
