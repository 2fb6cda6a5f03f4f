import { describe, expect, it } from 'vitest';
import { answerThreshold, PRECISION_THRESHOLDS, thresholdForPrecision } from '../bot/confidence.js';
import { auc, clarifySummary, coverageAtPrecision, languageLines, reliability } from './quality.js';
import type { CaseOutcome } from './retrieval-eval.js';

const outcome = (o: Partial<CaseOutcome>): CaseOutcome => ({
  question: 'q',
  lang: 'en',
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
  it("a target precision reads the language's own table; a language's own target overrides the common one", () => {
    const rows = [
      { precision: 0.8, threshold: 0.5 },
      { precision: 0.9, threshold: 0.7 },
    ];
    expect(thresholdForPrecision(rows, 0.85)).toBeCloseTo(0.6);
    expect(thresholdForPrecision(rows, 0.5)).toBe(0.5);
    expect(thresholdForPrecision(rows, 0.99)).toBe(0.7);
    const common = { ANSWER_THRESHOLD: 0.42, ANSWER_TARGET_PRECISION: 0.9 };
    expect(answerThreshold(common, 'ar')).toBe(thresholdForPrecision(PRECISION_THRESHOLDS.ar, 0.9));
    expect(answerThreshold(common, 'en')).toBe(thresholdForPrecision(PRECISION_THRESHOLDS.en, 0.9));
    const arOnly = { ANSWER_THRESHOLD: 0.42, ANSWER_TARGET_PRECISION_AR: 0.8 };
    expect(answerThreshold(arOnly, 'ar')).toBe(thresholdForPrecision(PRECISION_THRESHOLDS.ar, 0.8));
    expect(answerThreshold(arOnly, 'en')).toBe(0.42);
    expect(answerThreshold({ ...common, ANSWER_TARGET_PRECISION_EN: 0.8 }, 'en')).toBe(
      thresholdForPrecision(PRECISION_THRESHOLDS.en, 0.8),
    );
  });
  it('the eval lists each language with its threshold, what it answered and the coverage at 0.90 / 0.95', () => {
    const lines = languageLines(
      [
        outcome({ lang: 'ar', answered: true, answeredArticle: 'a', confidence: 0.9 }),
        outcome({ lang: 'ar', answered: false, confidence: 0.3, expected: null }),
        outcome({ lang: 'en', answered: true, answeredArticle: 'b', confidence: 0.8 }),
      ],
      { ANSWER_THRESHOLD: 0.6, ANSWER_TARGET_PRECISION_AR: 0.9 },
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('ar (2 cases)');
    expect(lines[0]).toContain('target precision 0.9');
    expect(lines[0]).toContain('answered 50.0% at precision 100.0%');
    expect(lines[0]).toContain('coverage at 90.0% precision 50.0% (threshold 0.900)');
    expect(lines[1]).toContain('en (1 cases): threshold 0.600 (ANSWER_THRESHOLD)');
    expect(lines[1]).toContain('answered 100.0% at precision 0.0%');
  });
});
