import { describe, expect, it } from 'vitest';
import type { ArticleContent } from '../knowledge/article.js';
import { fitLogistic } from './logistic.js';
import {
  fitShift,
  outOfScopeQuestions,
  selfCalibrationFolds,
  shiftedConfidence,
  shiftedThreshold,
} from './self-calibration.js';

const article = (id: string, lang: 'ar' | 'en', questions: string[], status: ArticleContent['status'] = 'published') =>
  ({ id, title: id, lang, tags: [], team: null, questions, body: 'body', status }) satisfies ArticleContent;

describe('self-calibration of a knowledge base', () => {
  const kb = [
    article('a', 'en', ['a1', 'a2', 'a3']),
    article('b', 'en', ['b1']),
    article('c', 'ar', ['c1', 'c2']),
    article('d', 'en', ['d1', 'd2'], 'draft'),
  ];

  it("asks every published article's example question once, against the knowledge base without it", () => {
    const folds = selfCalibrationFolds(kb, 2);
    expect(folds).toHaveLength(2);
    const asked = folds.flatMap((f) => f.cases.filter((c) => c.expected !== null));
    expect(asked.map((c) => c.question).sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'c1', 'c2']);
    for (const fold of folds)
      for (const c of fold.cases.filter((x) => x.expected !== null)) {
        const own = fold.articles.find((a) => a.id === c.expected);
        expect(own?.questions, c.question).not.toContain(c.question);
        expect(own?.lang).toBe(c.lang);
      }
    // The other fold's questions stay; a draft is neither asked nor changed.
    expect(folds[0]?.articles.find((a) => a.id === 'a')?.questions).toEqual(['a2']);
    expect(folds[0]?.articles.find((a) => a.id === 'd')?.questions).toEqual(['d1', 'd2']);
  });

  it("adds the project's out-of-scope questions in the knowledge base's languages, each once", () => {
    const enOnly = selfCalibrationFolds([article('a', 'en', ['a1', 'a2'])], 2);
    const oos = enOnly.flatMap((f) => f.cases.filter((c) => c.expected === null));
    expect(oos.length).toBe(outOfScopeQuestions(['en']).length);
    expect(oos.length).toBeGreaterThanOrEqual(20);
    expect(new Set(oos.map((c) => c.lang))).toEqual(new Set(['en']));
    expect(outOfScopeQuestions(['ar']).every((c) => /[\u0600-\u06FF]/.test(c.question))).toBe(true);
  });

  it('fits a log-odds shift: up when the confidence is too low, about 0 when it is right, 0 without data', () => {
    const cases = (p: number, right: number, n = 100) =>
      Array.from({ length: n }, (_, i) => ({ p, y: (i < right ? 1 : 0) as 0 | 1 }));
    expect(fitShift([])).toBe(0);
    expect(Math.abs(fitShift([...cases(0.5, 50), ...cases(0.8, 80)]))).toBeLessThan(0.05);
    const under = fitShift([...cases(0.5, 80), ...cases(0.7, 90)]);
    expect(under).toBeGreaterThan(0.5);
    expect(shiftedConfidence(0.5, under)).toBeGreaterThan(0.65);
    // The L2 pull keeps a handful of questions from moving it far.
    expect(Math.abs(fitShift(cases(0.5, 5, 5), 0.5))).toBeLessThan(Math.abs(fitShift(cases(0.5, 5, 5), 0.001)));
  });

  it('a shifted threshold decides as the shifted confidence would', () => {
    for (const shift of [-0.8, 0, 0.3, 1.2])
      for (const p of [0.2, 0.45, 0.6, 0.75, 0.9]) {
        const t = 0.6;
        expect(p >= shiftedThreshold(t, shift), `${p} ${shift}`).toBe(shiftedConfidence(p, shift) >= t);
      }
  });
});

describe('fitLogistic', () => {
  it('recovers the coefficients of a logistic relation, rows weighted', () => {
    const data = [];
    for (let x = -3; x <= 3; x += 0.5) {
      const p = 1 / (1 + Math.exp(-(0.5 + 1.5 * x)));
      data.push({ x: [1, x], y: 1 as const, w: p }, { x: [1, x], y: 0 as const, w: 1 - p });
    }
    const [a, b] = fitLogistic(data, { l2: 0 });
    expect(a).toBeCloseTo(0.5, 3);
    expect(b).toBeCloseTo(1.5, 3);
  });
});
