import { describe, expect, it } from 'vitest';
import { answerThreshold, evidenceOf, retrievalConfidence } from '../bot/confidence.js';
import type { Retrieval, Retriever } from '../knowledge/retrieve.js';
import { outcomeOf } from './answer-diff.js';

// One article found with middling evidence, in whichever language is asked.
const retriever = (lang: 'ar' | 'en'): Retriever => {
  const retrieval: Retrieval = {
    query: 'q',
    lang,
    queryTerms: ['a', 'b'],
    unknownTerms: [],
    articles: [
      {
        articleId: 'x',
        title: 'x',
        lang,
        team: null,
        tags: [],
        score: 1,
        similarity: 0.5,
        coverage: 0.5,
        intent: 0.5,
        passages: [],
      },
    ],
  };
  return { retrieve: async () => retrieval } as unknown as Retriever;
};

describe("the editor's what-if answers at the bot's threshold for the question's language", () => {
  it('an Arabic target precision moves Arabic questions only', async () => {
    const p = retrievalConfidence(evidenceOf(await retriever('ar').retrieve('q')));
    // A fixed threshold just under the confidence answers both; a 0.95 Arabic target (above it) hands Arabic off.
    const config = { ANSWER_THRESHOLD: p - 0.01, SENSITIVE_TAGS: [], ANSWER_TARGET_PRECISION_AR: 0.95 };
    expect(answerThreshold(config, 'ar')).toBeGreaterThan(p);
    expect((await outcomeOf(retriever('ar'), { source: 'dev', text: 'سؤال', lang: 'ar' }, config)).answered).toBe(
      false,
    );
    expect((await outcomeOf(retriever('en'), { source: 'dev', text: 'question', lang: 'en' }, config)).answered).toBe(
      true,
    );
  });
});
