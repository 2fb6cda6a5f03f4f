import { describe, expect, it } from 'vitest';
import { answerThreshold } from '../bot/confidence.js';
import { auc, clarifySummary, coverageAtPrecision, reliability } from './quality.js';
import type { CaseOutcome } from './retrieval-eval.js';

const outcome = (o: Partial<CaseOutcome>): CaseOutcome => ({
  question: 'q',
  expected: 'a',
  rank: 1,
  top: 'a',
  answered: false,
  answeredArticle: null,
  confidence: null,
  handoffReason: null,
  ...o,
});

describe('answer-quality figures', () => {
  it('clarify rate, expected among the choices, out-of-scope handed off or clarified', () => {
    const s = clarifySummary([
      outcome({ clarified: true, choices: ['b', 'a'] }),
      outcome({ clarified: true, choices: ['b'] }),
      outcome({ answered: true, answeredArticle: 'a' }),
      outcome({ expected: null, clarified: true, choices: ['a'] }),
      outcome({ expected: null, answered: true, answeredArticle: 'a' }),
    ]);
    expect(s.clarify_rate).toBeCloseTo(3 / 5);
    expect(s.clarify_contains_expected).toBeCloseTo(1 / 2);
    expect(s.oos_handed_off_or_clarified).toBeCloseTo(1 / 2);
    expect(s.answered_or_offered_right).toBeCloseTo(2 / 3);
  });
  it('ECE is zero for a calibrated score and large for an overconfident one', () => {
    const calibrated = [...Array(10)].map((_, i) => ({ p: 0.75, y: (i < 7 || i === 9 ? 1 : 0) as 0 | 1 }));
    expect(reliability(calibrated.slice(0, 8).concat(calibrated.slice(8))).ece).toBeLessThan(0.06);
    const over = [...Array(10)].map((_, i) => ({ p: 0.95, y: (i < 5 ? 1 : 0) as 0 | 1 }));
    expect(reliability(over).ece).toBeCloseTo(0.45);
  });
  it('coverage at a precision answers the most confident first and never splits ties', () => {
    const scored = [
      { p: 0.9, y: 1 as const },
      { p: 0.8, y: 1 as const },
      { p: 0.7, y: 0 as const },
      { p: 0.6, y: 1 as const },
    ];
    expect(coverageAtPrecision(scored, 4, 0.9)).toEqual({ coverage: 0.5, threshold: 0.8 });
    expect(coverageAtPrecision(scored, 4, 0.75)).toEqual({ coverage: 1, threshold: 0.6 });
    expect(
      coverageAtPrecision(
        [
          { p: 0.5, y: 1 },
          { p: 0.5, y: 0 },
        ],
        2,
        0.9,
      ).threshold,
    ).toBeNull();
    expect(auc(scored)).toBeCloseTo(2 / 3);
  });
  it('a target precision picks the threshold, interpolated between the calibrated targets', () => {
    expect(answerThreshold({ ANSWER_THRESHOLD: 0.42 })).toBe(0.42);
    const t85 = answerThreshold({ ANSWER_THRESHOLD: 0.42, ANSWER_TARGET_PRECISION: 0.85 });
    const t90 = answerThreshold({ ANSWER_THRESHOLD: 0.42, ANSWER_TARGET_PRECISION: 0.9 });
    const mid = answerThreshold({ ANSWER_THRESHOLD: 0.42, ANSWER_TARGET_PRECISION: 0.875 });
    expect(t90).toBeGreaterThanOrEqual(t85);
    expect(mid).toBeGreaterThanOrEqual(t85);
    expect(mid).toBeLessThanOrEqual(t90);
  });
});
