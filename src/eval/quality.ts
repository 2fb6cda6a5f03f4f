import { answerThreshold, type ThresholdConfig, targetPrecision } from '../bot/confidence.js';
import type { CaseOutcome } from './retrieval-eval.js';

/**
 * Answer-quality figures beside the retrieval report: "did you mean …?" (how often, and whether
 * the expected article was among the choices), the confidence's reliability (expected
 * calibration error over ten bins) and the coverage reachable at a target precision.
 */

/** Hand-offs the confidence never decides: the customer asked for a person or was upset. */
const NOT_CONFIDENCE = new Set(['customer_request', 'negative_sentiment']);

export interface ClarifySummary {
  /** Share of all cases answered with "did you mean …?". */
  clarify_rate: number;
  /** Of the in-scope cases clarified, the share whose expected article was among the choices. */
  clarify_contains_expected: number;
  /** Out-of-scope cases handed off or clarified (a clarification always offers a person). */
  oos_handed_off_or_clarified: number;
  /** In-scope cases answered with the expected article, or offered it among the choices. */
  answered_or_offered_right: number;
}

export function clarifySummary(outcomes: CaseOutcome[]): ClarifySummary {
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const inScope = outcomes.filter((o) => o.expected !== null);
  const clarifiedIn = inScope.filter((o) => o.clarified);
  const oos = outcomes.filter((o) => o.expected === null);
  const offered = (o: CaseOutcome) => Boolean(o.clarified && o.expected && o.choices?.includes(o.expected));
  return {
    clarify_rate: ratio(outcomes.filter((o) => o.clarified).length, outcomes.length),
    clarify_contains_expected: ratio(clarifiedIn.filter(offered).length, clarifiedIn.length),
    oos_handed_off_or_clarified: ratio(oos.filter((o) => !o.answered).length, oos.length),
    answered_or_offered_right: ratio(
      inScope.filter((o) => (o.answered && o.answeredArticle === o.expected) || offered(o)).length,
      inScope.length,
    ),
  };
}

/** (confidence, right) for every case the confidence decided: right means the cited article is the expected one. */
export function scoredCases(outcomes: CaseOutcome[]): { p: number; y: 0 | 1 }[] {
  return outcomes
    .filter((o) => o.confidence !== null && !NOT_CONFIDENCE.has(o.handoffReason ?? ''))
    .map((o) => ({
      p: o.confidence as number,
      y: o.expected !== null && (o.answeredArticle ?? o.turnTop ?? o.top) === o.expected ? 1 : 0,
    }));
}

export interface ReliabilityBin {
  from: number;
  to: number;
  cases: number;
  meanConfidence: number;
  accuracy: number;
}

/** Ten equal-width bins of confidence; ECE is the case-weighted mean gap between confidence and accuracy. */
export function reliability(scored: { p: number; y: 0 | 1 }[], bins = 10): { bins: ReliabilityBin[]; ece: number } {
  const out: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const from = b / bins;
    const to = (b + 1) / bins;
    const inBin = scored.filter((s) => s.p >= from && (b === bins - 1 ? s.p <= to : s.p < to));
    if (inBin.length === 0) continue;
    const meanConfidence = inBin.reduce((a, s) => a + s.p, 0) / inBin.length;
    const accuracy = inBin.reduce((a, s) => a + s.y, 0) / inBin.length;
    out.push({ from, to, cases: inBin.length, meanConfidence, accuracy });
    ece += (inBin.length / Math.max(1, scored.length)) * Math.abs(meanConfidence - accuracy);
  }
  return { bins: out, ece };
}

/**
 * The largest share of all cases that can be answered at `target` precision, answering the
 * most confident first, and the confidence threshold that reaches it (null when none does).
 */
export function coverageAtPrecision(
  scored: { p: number; y: 0 | 1 }[],
  total: number,
  target: number,
): { coverage: number; threshold: number | null } {
  const sorted = [...scored].sort((a, b) => b.p - a.p);
  let right = 0;
  let best = { coverage: 0, threshold: null as number | null };
  for (let i = 0; i < sorted.length; i++) {
    right += (sorted[i] as { y: number }).y;
    // Only cut between distinct confidences: a threshold cannot split ties.
    if (i + 1 < sorted.length && (sorted[i + 1] as { p: number }).p === (sorted[i] as { p: number }).p) continue;
    if (right / (i + 1) >= target) best = { coverage: (i + 1) / Math.max(1, total), threshold: sorted[i]?.p ?? null };
  }
  return best;
}

/** Area under the ROC curve: how well the confidence ranks right answers above wrong ones. */
export function auc(scored: { p: number; y: 0 | 1 }[]): number {
  const pos = scored.filter((s) => s.y === 1).map((s) => s.p);
  const neg = scored.filter((s) => s.y === 0).map((s) => s.p);
  if (pos.length === 0 || neg.length === 0) return 0;
  let wins = 0;
  for (const a of pos) for (const b of neg) wins += a > b ? 1 : a === b ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

/**
 * Per language: the threshold in force (ANSWER_THRESHOLD, or the language's calibrated threshold
 * for its target precision), what the bot answered at it, and the coverage reachable at 0.90
 * and 0.95 precision with the threshold that reaches it.
 */
export function languageLines(outcomes: CaseOutcome[], config: ThresholdConfig): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines: string[] = [];
  for (const lang of ['ar', 'en'] as const) {
    const mine = outcomes.filter((o) => o.lang === lang);
    if (mine.length === 0) continue;
    const target = targetPrecision(config, lang);
    const answered = mine.filter((o) => o.answered);
    const right = answered.filter((o) => o.expected !== null && o.answeredArticle === o.expected).length;
    const scored = scoredCases(mine);
    const at = [0.9, 0.95].map((t) => {
      const r = coverageAtPrecision(scored, mine.length, t);
      return `${pct(r.coverage)}${r.threshold === null ? '' : ` (threshold ${r.threshold.toFixed(3)})`}`;
    });
    lines.push(
      `  ${lang} (${mine.length} cases): threshold ${answerThreshold(config, lang).toFixed(3)} (${target === undefined ? 'ANSWER_THRESHOLD' : `target precision ${target}`}), answered ${pct(answered.length / mine.length)} at precision ${pct(answered.length ? right / answered.length : 0)}; coverage at 90.0% precision ${at[0]}, at 95.0% ${at[1]}; ECE ${reliability(scored).ece.toFixed(3)}`,
    );
  }
  return lines;
}

/** The lines `npm run eval -- retrieval` prints under its report. */
export function qualityLines(outcomes: CaseOutcome[], config?: ThresholdConfig): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const c = clarifySummary(outcomes);
  const scored = scoredCases(outcomes);
  const { bins, ece } = reliability(scored);
  const lines = [
    `  did you mean: clarified ${pct(c.clarify_rate)} of cases, expected article among the choices ${pct(c.clarify_contains_expected)}; out-of-scope handed off or clarified ${pct(c.oos_handed_off_or_clarified)}; in scope answered right or offered ${pct(c.answered_or_offered_right)}`,
    `  confidence: ECE ${ece.toFixed(3)}, AUC ${auc(scored).toFixed(3)} over ${scored.length} cases`,
  ];
  for (const target of [0.9, 0.95]) {
    const r = coverageAtPrecision(scored, outcomes.length, target);
    lines.push(
      `  coverage at ${pct(target)} precision: ${pct(r.coverage)}${r.threshold === null ? '' : ` (threshold ${r.threshold.toFixed(3)})`}`,
    );
  }
  if (config) lines.push(...languageLines(outcomes, config));
  lines.push('  confidence bin   cases  mean confidence  accuracy   (reliability)');
  for (const b of bins) {
    lines.push(
      `  ${b.from.toFixed(1)}–${b.to.toFixed(1)}  ${String(b.cases).padStart(9)}  ${pct(b.meanConfidence).padStart(15)}  ${pct(b.accuracy).padStart(8)}`,
    );
  }
  return lines;
}
