/**
 * npm run calibrate -- [--kb DIR] [--cases FILE]
 * Fits the confidence model (src/answer/confidence.ts) by logistic regression (Platt
 * scaling) on a labelled set: for every case that reached the answer step, the label is
 * "the top article is the expected one" (out-of-scope cases are 0). Prints coefficients to
 * paste into CALIBRATION. Defaults to the project's own development set.
 */
import { parseArgs } from 'node:util';
import { evaluateRetrieval } from '../src/eval/retrieval-eval.js';
import { loadConfig } from '../src/platform/config.js';

const { values } = parseArgs({
  options: {
    kb: { type: 'string', default: 'knowledge-base' },
    cases: { type: 'string', default: 'test/fixtures/eval/retrieval.jsonl' },
  },
});
// Threshold 0 so every case reaches the answer step and shows its evidence.
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', ANSWER_THRESHOLD: '0' });
const { outcomes } = await evaluateRetrieval(config, values.kb as string, values.cases as string);
const rows = outcomes
  .filter((o) => o.evidence)
  .map((o) => ({
    x: [1, o.evidence!.similarity, o.evidence!.margin, o.evidence!.coverage, o.evidence!.intent, o.evidence!.novelty],
    y: o.expected !== null && o.top === o.expected ? 1 : 0,
  }));
const w = [0, 0, 0, 0, 0, 0];
const l2 = 0.0001;
for (let epoch = 0; epoch < 100_000; epoch++) {
  const grad = [0, 0, 0, 0, 0, 0];
  for (const { x, y } of rows) {
    const p = 1 / (1 + Math.exp(-x.reduce((s, xi, i) => s + xi * (w[i] as number), 0)));
    for (let i = 0; i < 6; i++) grad[i] = (grad[i] as number) + (p - y) * (x[i] as number);
  }
  for (let i = 0; i < 6; i++)
    w[i] = (w[i] as number) - 2 * ((grad[i] as number) / rows.length + (i ? l2 * (w[i] as number) : 0));
}
const r = (n: number) => Math.round(n * 100) / 100;
console.log(`fitted on ${rows.length} cases (${rows.filter((x) => x.y).length} positive)`);
console.log(
  `export const CALIBRATION = { intercept: ${r(w[0] as number)}, similarity: ${r(w[1] as number)}, margin: ${r(w[2] as number)}, coverage: ${r(w[3] as number)}, intent: ${r(w[4] as number)}, novelty: ${r(w[5] as number)} } as const;`,
);
