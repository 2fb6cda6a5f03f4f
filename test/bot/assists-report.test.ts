import { describe, expect, it } from 'vitest';
import { assistLines } from '../../src/eval/assists-report.js';
import type { CaseOutcome } from '../../src/eval/retrieval-eval.js';
import { testConfig } from '../helpers/backends.js';

const MODEL = { OPENAI_API_KEY: 'test' };
const outcome = (o: Partial<CaseOutcome>): CaseOutcome => ({
  question: 'q',
  lang: 'en',
  expected: 'a',
  rank: 1,
  top: 'a',
  answered: true,
  answeredArticle: 'a',
  confidence: 0.9,
  handoffReason: null,
  ...o,
});

describe('the eval lines on model assists', () => {
  it('say when no model is configured, and when none is switched on', () => {
    expect(assistLines(testConfig(), [])).toEqual([expect.stringContaining('off (no model configured')]);
    expect(assistLines(testConfig(MODEL), [])).toEqual([expect.stringContaining('none switched on')]);
  });

  it('name the assists on and what each changed', () => {
    const config = testConfig({
      ...MODEL,
      EMBEDDER: 'openai',
      LLM_PARAPHRASES: 'true',
      LLM_FOLLOW_UP_REWRITE: 'true',
      LLM_RERANK: 'true',
      CROSS_LINGUAL_RETRIEVAL: 'true',
    });
    const outcomes = [
      outcome({ top: 'b', turnFirst: 'a', assists: { reranked: true } }),
      outcome({ turnFirst: 'a', assists: { crossLingual: true, rewritten: 'standalone' } }),
      outcome({ expected: null, turnFirst: 'c' }),
    ];
    const lines = assistLines(config, outcomes, { articles: 3, generated: 40, failed: 1 }).join('\n');
    expect(lines).toContain('LLM_PARAPHRASES, LLM_FOLLOW_UP_REWRITE, LLM_RERANK, CROSS_LINGUAL_RETRIEVAL');
    expect(lines).toContain('40 generated for 3 articles');
    expect(lines).toContain('1 articles failed');
    expect(lines).toContain('1 of 3 turns read a standalone question');
    expect(lines).toContain('first article changed in 1 turns; top-1 100.0% after rerank against 50.0% from retrieval');
    expect(lines).toContain('1 turns took an article in another language, 1 of them the expected one');
  });
});
