/**
 * npm run self-calibrate -- --kb DIR [--cases FILE --from ROWS.json] [--save FILE] [--self FILE] [--folds 5]
 *
 * A knowledge base's self-calibration (src/bot/self-calibration.ts): its example questions held
 * out in turn and the project's out-of-scope questions, put through the real turn on a
 * throw-away copy of the knowledge base; prints the log-odds shift fitted on them.
 *
 * With --cases (the knowledge base's real labelled questions) and --from (the evidence saved by
 * `npm run calibrate -- --save`), it measures whether the shift helps transfer: the confidence
 * model fitted without that set (as if the knowledge base were unseen), scored on the real
 * cases with and without the shift: calibration error, and what the bot answers at each
 * language's threshold for 0.80 / 0.85 / 0.90 precision.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CALIBRATION,
  type Calibration,
  type Evidence,
  PRECISION_THRESHOLDS,
  retrievalConfidence,
  thresholdForPrecision,
} from '../src/bot/confidence.js';
import { fitLogistic } from '../src/bot/logistic.js';
import { fitShift, selfCalibrationFolds, shiftedConfidence } from '../src/bot/self-calibration.js';
import { reliability } from '../src/eval/quality.js';
import { evaluateRetrieval } from '../src/eval/retrieval-eval.js';
import { readFolder, writeFolder } from '../src/knowledge/folder.js';
import { loadConfig } from '../src/platform/config.js';

const { values } = parseArgs({
  options: {
    kb: { type: 'string' },
    cases: { type: 'string' },
    from: { type: 'string' },
    save: { type: 'string' },
    self: { type: 'string' },
    folds: { type: 'string', default: '5' },
  },
});

interface Row {
  set: string;
  lang: 'ar' | 'en';
  e: Evidence;
  y: 0 | 1;
}

async function selfRows(kbDir: string): Promise<Row[]> {
  if (values.self) return JSON.parse(await readFile(values.self, 'utf8')) as Row[];
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'silent',
    ANSWER_THRESHOLD: '0',
    CLARIFY_MIN_CONFIDENCE: '1',
  });
  const { articles } = await readFolder(kbDir);
  const rows: Row[] = [];
  const folds = selfCalibrationFolds(
    articles.map((a) => a.article),
    Number(values.folds),
  );
  for (const [i, fold] of folds.entries()) {
    const dir = await mkdtemp(join(tmpdir(), 'sanad-self-'));
    try {
      await writeFolder(dir, fold.articles);
      const cases = join(dir, 'cases.jsonl');
      await writeFile(cases, fold.cases.map((c) => JSON.stringify(c)).join('\n'));
      process.stderr.write(`fold ${i + 1}/${folds.length}: ${fold.cases.length} questions\n`);
      const { outcomes } = await evaluateRetrieval(config, dir, cases);
      for (const o of outcomes) {
        if (!o.evidence || o.handoffReason === 'customer_request' || o.handoffReason === 'negative_sentiment') continue;
        const cited = o.answeredArticle ?? o.turnTop ?? o.top;
        rows.push({ set: 'self', lang: o.lang, e: o.evidence, y: o.expected !== null && cited === o.expected ? 1 : 0 });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  if (values.save) await writeFile(values.save, JSON.stringify(rows));
  return rows;
}

const FEATURES = ['similarity', 'margin', 'coverage', 'intent', 'novelty', 'intentMargin', 'scoreMargin'] as const;
/** The confidence model fitted without one set, as `npm run calibrate` does (each set weighted alike, L2 0.01). */
function fitWithout(rows: Row[], held: string): Calibration {
  const train = rows.filter((r) => r.set !== held);
  const sets = [...new Set(train.map((r) => r.set))];
  const per = new Map(sets.map((s) => [s, train.filter((r) => r.set === s).length]));
  const w = fitLogistic(
    train.map((r) => ({
      x: [1, ...FEATURES.map((f) => r.e[f])],
      y: r.y,
      w: train.length / sets.length / (per.get(r.set) as number),
    })),
    { l2: 0.01 },
  );
  const c = { intercept: w[0] as number } as Calibration;
  FEATURES.forEach((f, i) => {
    c[f] = w[i + 1] as number;
  });
  return c;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const self = await selfRows(values.kb as string);
const base: Calibration =
  values.from && values.cases
    ? fitWithout(JSON.parse(await readFile(values.from, 'utf8')) as Row[], values.cases)
    : CALIBRATION;
const langs = [...new Set(self.map((r) => r.lang))].sort();
const shifts = new Map(
  langs.map((lang) => {
    const scored = self.filter((r) => r.lang === lang).map((r) => ({ p: retrievalConfidence(r.e, base), y: r.y }));
    return [lang, fitShift(scored)] as const;
  }),
);
for (const lang of langs) {
  const mine = self.filter((r) => r.lang === lang);
  const scored = mine.map((r) => ({ p: retrievalConfidence(r.e, base), y: r.y }));
  console.log(
    `self-calibration ${lang}: ${mine.length} questions (${mine.filter((r) => r.y === 1).length} right), ECE ${reliability(scored).ece.toFixed(3)}, log-odds shift ${(shifts.get(lang) as number).toFixed(3)}`,
  );
}
if (values.from && values.cases) {
  const real = (JSON.parse(await readFile(values.from, 'utf8')) as Row[]).filter((r) => r.set === values.cases);
  for (const lang of langs) {
    const mine = real.filter((r) => r.lang === lang);
    if (mine.length === 0) continue;
    const shift = shifts.get(lang) as number;
    const before = mine.map((r) => ({ p: retrievalConfidence(r.e, base), y: r.y }));
    const after = before.map((s) => ({ p: shiftedConfidence(s.p, shift), y: s.y }));
    console.log(
      `${values.cases} ${lang} (${mine.length} cases, confidence fitted without this set): ECE ${reliability(before).ece.toFixed(3)} → ${reliability(after).ece.toFixed(3)} with the shift`,
    );
    for (const target of [0.8, 0.85, 0.9]) {
      const t = thresholdForPrecision(PRECISION_THRESHOLDS[lang], target);
      const at = (s: { p: number; y: 0 | 1 }[]) => {
        const answered = s.filter((x) => x.p >= t);
        const right = answered.filter((x) => x.y === 1).length;
        return `answered ${pct(answered.length / s.length)} at ${pct(answered.length ? right / answered.length : 0)}`;
      };
      console.log(`  target ${target} (threshold ${t.toFixed(2)}): without ${at(before)}; with the shift ${at(after)}`);
    }
  }
}
