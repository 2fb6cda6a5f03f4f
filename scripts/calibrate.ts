/**
 * npm run calibrate -- [--set KB_DIR::CASES_FILE ...] [--save FILE] [--from FILE] [--targets 0.8,0.85,0.9] [--l2 0.01]
 *
 * Fits the confidence model (src/bot/confidence.ts) by logistic regression (Platt scaling) on
 * several labelled sets pooled, each weighted alike, so that no one knowledge base shapes it:
 * by default the project's own set over the sample knowledge base and the two public
 * development sets (../shared/eval/dev). For every case that reached the answer step, the
 * label is "the article the bot cites is the expected one" (out-of-scope cases are 0).
 *
 * It prints, for each set held out in turn, the fit on the other sets scored on it (expected
 * calibration error, AUC, coverage at 0.90 and 0.95 precision): the figures to trust, since
 * nothing is scored on the cases it was fitted on. Then the coefficients fitted on all sets,
 * to paste into CALIBRATION, and the thresholds that reach each target precision on the pool
 * (PRECISION_THRESHOLDS, read by ANSWER_TARGET_PRECISION).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Calibration, type Evidence, retrievalConfidence } from '../src/bot/confidence.js';
import { auc, coverageAtPrecision, reliability } from '../src/eval/quality.js';
import { evaluateRetrieval } from '../src/eval/retrieval-eval.js';
import { loadConfig } from '../src/platform/config.js';

const DEFAULT_SETS = [
  'knowledge-base::test/fixtures/eval/retrieval.jsonl',
  '../shared/eval/dev/banking77-en/kb::../shared/eval/dev/banking77-en/cases.jsonl',
  '../shared/eval/dev/arbanking77-msa-pal/kb::../shared/eval/dev/arbanking77-msa-pal/cases.jsonl',
];
const FEATURES = [
  'similarity',
  'margin',
  'coverage',
  'intent',
  'novelty',
  'intentMargin',
  'scoreMargin',
] as const satisfies readonly (keyof Evidence)[];

const { values } = parseArgs({
  options: {
    set: { type: 'string', multiple: true },
    save: { type: 'string' },
    from: { type: 'string' },
    targets: { type: 'string', default: '0.8,0.85,0.9,0.95' },
    l2: { type: 'string', default: '0.01' },
  },
});

interface Row {
  set: string;
  e: Evidence;
  y: 0 | 1;
}

async function collect(): Promise<Row[]> {
  if (values.from) return JSON.parse(await readFile(values.from, 'utf8')) as Row[];
  // Threshold 0 and no "did you mean": every case reaches the answer step and shows its evidence.
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'silent',
    ANSWER_THRESHOLD: '0',
    CLARIFY_MIN_CONFIDENCE: '1',
  });
  const rows: Row[] = [];
  for (const spec of values.set ?? DEFAULT_SETS) {
    const [kb, cases] = spec.split('::') as [string, string];
    process.stderr.write(`evaluating ${cases}…\n`);
    const { outcomes } = await evaluateRetrieval(config, kb, cases);
    for (const o of outcomes) {
      if (!o.evidence || o.handoffReason === 'customer_request' || o.handoffReason === 'negative_sentiment') continue;
      const cited = o.answeredArticle ?? o.turnTop ?? o.top;
      rows.push({ set: cases, e: o.evidence as Evidence, y: o.expected !== null && cited === o.expected ? 1 : 0 });
    }
  }
  if (values.save) await writeFile(values.save, JSON.stringify(rows));
  return rows;
}

/** Weighted L2-regularised logistic regression by Newton's method (IRLS). */
function fitLogistic(rows: Row[], l2 = Number(values.l2)): Calibration {
  const sets = [...new Set(rows.map((r) => r.set))];
  const perSet = new Map(sets.map((s) => [s, rows.filter((r) => r.set === s).length]));
  const n = rows.length;
  const weight = (r: Row) => n / sets.length / (perSet.get(r.set) as number);
  const d = FEATURES.length + 1;
  const x = (r: Row) => [1, ...FEATURES.map((f) => r.e[f])];
  let w = new Array<number>(d).fill(0);
  for (let iter = 0; iter < 50; iter++) {
    const g = new Array<number>(d).fill(0);
    const h = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (const r of rows) {
      const xi = x(r);
      const p = 1 / (1 + Math.exp(-xi.reduce((s, v, i) => s + v * (w[i] as number), 0)));
      const k = weight(r);
      for (let i = 0; i < d; i++) {
        g[i] = (g[i] as number) + k * (p - r.y) * (xi[i] as number);
        for (let j = 0; j < d; j++)
          (h[i] as number[])[j] =
            ((h[i] as number[])[j] as number) + k * p * (1 - p) * (xi[i] as number) * (xi[j] as number);
      }
    }
    for (let i = 1; i < d; i++) {
      g[i] = (g[i] as number) + l2 * n * (w[i] as number);
      (h[i] as number[])[i] = ((h[i] as number[])[i] as number) + l2 * n;
    }
    const step = solve(h, g);
    w = w.map((v, i) => v - (step[i] as number));
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  const c = { intercept: w[0] as number } as Calibration;
  FEATURES.forEach((f, i) => {
    c[f] = w[i + 1] as number;
  });
  return c;
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs((m[r] as number[])[col] as number) > Math.abs((m[pivot] as number[])[col] as number)) pivot = r;
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const p = (m[col] as number[])[col] as number;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = ((m[r] as number[])[col] as number) / p;
      for (let k = col; k <= n; k++)
        (m[r] as number[])[k] = ((m[r] as number[])[k] as number) - f * ((m[col] as number[])[k] as number);
    }
  }
  return m.map((row, i) => (row[n] as number) / ((m[i] as number[])[i] as number));
}

function score(rows: Row[], c: Calibration) {
  const scored = rows.map((r) => ({ p: retrievalConfidence(r.e, c), y: r.y }));
  const { ece } = reliability(scored);
  const at = (t: number) => coverageAtPrecision(scored, rows.length, t);
  return { ece, auc: auc(scored), at90: at(0.9), at95: at(0.95), scored };
}

const rows = await collect();
const sets = [...new Set(rows.map((r) => r.set))];
const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(`${rows.length} cases from ${sets.length} sets`);
if (sets.length > 1) {
  console.log('held out in turn (fitted on the other sets):');
  for (const held of sets) {
    const c = fitLogistic(rows.filter((r) => r.set !== held));
    const test = rows.filter((r) => r.set === held);
    const s = score(test, c);
    const now = score(test, (await import('../src/bot/confidence.js')).CALIBRATION);
    console.log(
      `  ${held}: ECE ${f3(s.ece)} (shipped, fitted on all sets: ${f3(now.ece)}), AUC ${f3(s.auc)}, coverage at 90% ${pct(s.at90.coverage)} (shipped: ${pct(now.at90.coverage)}), at 95% ${pct(s.at95.coverage)}`,
    );
  }
}
const all = fitLogistic(rows);
const r2 = (x: number) => Math.round(x * 100) / 100;
console.log(
  `export const CALIBRATION = { ${Object.entries(all)
    .map(([k, v]) => `${k}: ${r2(v)}`)
    .join(', ')} } as const;`,
);
// Thresholds for a target precision: the lowest confidence at which the answered cases of
// each set, held out from the fit, reach the target, averaged over the sets (each set alike).
const targets = (values.targets as string).split(',').map(Number);
const table = targets.map((t) => {
  const found = sets.map((held) => {
    const c = fitLogistic(rows.filter((r) => r.set !== held || sets.length === 1));
    const test = rows.filter((r) => r.set === held);
    return coverageAtPrecision(score(test, c).scored, test.length, t).threshold ?? 0.99;
  });
  return { precision: t, threshold: r2(found.reduce((a, b) => a + b, 0) / found.length) };
});
console.log(
  `export const PRECISION_THRESHOLDS = [${table.map((t) => `{ precision: ${t.precision}, threshold: ${t.threshold} }`).join(', ')}] as const;`,
);
