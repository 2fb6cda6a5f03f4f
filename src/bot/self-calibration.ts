import { readFileSync } from 'node:fs';
import type { ArticleContent } from '../knowledge/article.js';
import { projectPath } from '../platform/paths.js';
import type { Lang } from '../text/language.js';
import { fitLogistic } from './logistic.js';

/**
 * Self-supervised calibration of one knowledge base (issue 18): labelled questions it supplies
 * itself, with no customer's words. Its articles' example questions are held out in turn (k
 * folds: the k-th question of every article is removed from that article, so neither the intent
 * model nor the question chunks have seen it, then asked), and generic out-of-scope questions
 * written for the project (out-of-scope.json: weather, football, recipes …) are asked too. The
 * label is "the bot cites the article the question came from" (out-of-scope: 0). The global
 * confidence model scores them, and one number is fitted for the knowledge base: a shift of the
 * confidence's log-odds, pulled towards 0 so that a few questions cannot move it far.
 *
 * Applied as a threshold shift (confidence + shift reaches the threshold ⇔ the confidence reaches
 * the shifted threshold), so the answerers' confidence is unchanged and only the decision moves.
 */

export interface SelfCase {
  question: string;
  expected: string | null;
  lang: Lang;
}

export interface Fold {
  /** The knowledge base with this fold's questions taken out of their articles. */
  articles: ArticleContent[];
  /** This fold's questions, each expecting its own article, and its share of the out-of-scope ones. */
  cases: SelfCase[];
}

const OUT_OF_SCOPE = JSON.parse(readFileSync(projectPath('src/bot/out-of-scope.json'), 'utf8')) as Record<
  Lang,
  string[]
>;

/** The project's out-of-scope questions in the given languages. */
export function outOfScopeQuestions(langs: Iterable<Lang>): SelfCase[] {
  return [...new Set(langs)].flatMap((lang) =>
    (OUT_OF_SCOPE[lang] ?? []).map((question) => ({ question, expected: null, lang })),
  );
}

/**
 * k folds over the published articles: fold i asks every article's i-th, (i+k)-th … example
 * question against the knowledge base without them. Articles with fewer questions sit some folds out.
 */
export function selfCalibrationFolds(articles: ArticleContent[], folds = 5): Fold[] {
  const published = articles.filter((a) => a.status === 'published');
  const oos = outOfScopeQuestions(published.map((a) => a.lang));
  return Array.from({ length: folds }, (_, f) => {
    const held = (i: number) => i % folds === f;
    return {
      articles: articles.map((a) =>
        a.status === 'published' ? { ...a, questions: a.questions.filter((_, i) => !held(i)) } : a,
      ),
      cases: [
        ...published.flatMap((a) =>
          a.questions.filter((_, i) => held(i)).map((question) => ({ question, expected: a.id, lang: a.lang })),
        ),
        ...oos.filter((_, i) => held(i)),
      ],
    };
  }).filter((fold) => fold.cases.length > 0);
}

const logit = (p: number) => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
};

/**
 * The shift of the confidence's log-odds that fits these (confidence, right) pairs best, with an
 * L2 pull towards 0 (no change): maximum likelihood when the questions are many, little when few.
 */
export function fitShift(scored: { p: number; y: 0 | 1 }[], l2 = 0.01): number {
  if (scored.length === 0) return 0;
  const [shift] = fitLogistic(
    scored.map((s) => ({ x: [1], y: s.y, w: 1, offset: logit(s.p) })),
    { l2, penalised: [0] },
  );
  return shift ?? 0;
}

/** The threshold the unshifted confidence must reach: logit(p) + shift ≥ logit(t) ⇔ p ≥ σ(logit(t) − shift). */
export function shiftedThreshold(threshold: number, shift: number): number {
  if (shift === 0 || threshold <= 0 || threshold >= 1) return threshold;
  return 1 / (1 + Math.exp(-(logit(threshold) - shift)));
}

/** The confidence with a knowledge base's shift applied. */
export function shiftedConfidence(p: number, shift: number): number {
  if (shift === 0 || p <= 0) return p;
  return 1 / (1 + Math.exp(-(logit(p) + shift)));
}
