import type { Retrieval } from '../knowledge/retrieve.js';

/**
 * Retrieval evidence → probability that the top article answers the question.
 *
 * A logistic model over three scale-free signals of the hybrid retrieval:
 *  - the best chunk's cosine similarity to the (IDF-weighted) query,
 *  - the margin to the next article (a clear winner is more often right),
 *  - the share of the question's content terms found in the article,
 *  - the intent model's probability for the article (see intent-model.ts),
 *  - the share of the question's terms the knowledge base has never seen ("weather" in a
 *    shop's knowledge base), which marks out-of-scope questions the other signals miss.
 * Its coefficients come from `npm run calibrate` (scripts/calibrate.ts), which fits them
 * on the project's own development set (test/fixtures/eval/retrieval.jsonl, written for
 * the sample knowledge base): the label is "the top article is the expected one", with
 * out-of-scope questions labelled 0. Fitting a logistic curve on held-out labels is Platt
 * scaling, so the output reads as a probability; `npm run eval` prints answered precision
 * against coverage so ANSWER_THRESHOLD can be chosen for a target precision.
 */
export const CALIBRATION = {
  intercept: -4.2,
  similarity: 0.5,
  margin: 0.74,
  coverage: 5.61,
  intent: 3.3,
  novelty: -0.28,
} as const;

export interface Evidence {
  similarity: number;
  margin: number;
  coverage: number;
  intent: number;
  novelty: number;
}

export function evidenceOf(retrieval: Retrieval): Evidence {
  const [first, second] = retrieval.articles;
  const novelty = retrieval.queryTerms.length ? retrieval.unknownTerms.length / retrieval.queryTerms.length : 1;
  if (!first) return { similarity: 0, margin: 0, coverage: 0, intent: 0, novelty };
  // A question with no searchable terms ("ok", "?", an emoji) has no query vector, and its
  // cosine similarity comes back NaN: that is no evidence, not a reason to fail the turn.
  const similarity = finite(first.similarity);
  return {
    similarity,
    margin: Math.max(0, similarity - finite(second?.similarity)),
    coverage: finite(first.coverage),
    intent: finite(first.intent),
    novelty,
  };
}

function finite(x: number | undefined): number {
  return x !== undefined && Number.isFinite(x) ? x : 0;
}

export function retrievalConfidence(e: Evidence, c: typeof CALIBRATION = CALIBRATION): number {
  if (e.similarity <= 0 && e.coverage <= 0) return 0;
  const z =
    c.intercept +
    c.similarity * e.similarity +
    c.margin * e.margin +
    c.coverage * e.coverage +
    c.intent * e.intent +
    c.novelty * e.novelty;
  const p = 1 / (1 + Math.exp(-z));
  return Number.isFinite(p) ? p : 0;
}
