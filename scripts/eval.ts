/**
 * npm run --silent eval -- retrieval --kb DIR --cases FILE [--json] [--details]
 * npm run --silent eval -- learning --kb DIR --cases FILE [--json]
 * npm run --silent eval -- passages --kb DIR --cases FILE [--json] [--details] [--split NAME]
 * npm run --silent eval -- sentiment --cases FILE [--json] [--scorer model|lexicon]
 * Formats: ../shared/eval/README.md. With --json the last line is one JSON object.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { targetPrecision } from '../src/bot/confidence.js';
import { createLlmClient } from '../src/bot/llm-client.js';
import { assistLines } from '../src/eval/assists-report.js';
import { evaluateLearning } from '../src/eval/learning-eval.js';
import { evaluatePassages } from '../src/eval/passage-eval.js';
import { qualityLines } from '../src/eval/quality.js';
import { evaluateRetrieval, precisionCoverage } from '../src/eval/retrieval-eval.js';
import { evaluateSentiment } from '../src/eval/sentiment-eval.js';
import { llmConfigured, loadConfig } from '../src/platform/config.js';
import { llmSentimentScorer } from '../src/understanding/sentiment/llm.js';
import { localSentimentScorer } from '../src/understanding/sentiment/local.js';
import { trainedSentimentScorer } from '../src/understanding/sentiment/trained.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    kb: { type: 'string' },
    cases: { type: 'string' },
    json: { type: 'boolean', default: false },
    details: { type: 'boolean', default: false },
    scorer: { type: 'string', default: 'model' },
    split: { type: 'string' },
  },
});
const mode = positionals[0];
const fail = (message: string): never => {
  process.stderr.write(
    `${message}\nUsage: npm run --silent eval -- retrieval --kb DIR --cases FILE [--json]\n       npm run --silent eval -- learning --kb DIR --cases FILE [--json]\n       npm run --silent eval -- passages --kb DIR --cases FILE [--json] [--details] [--split NAME]\n       npm run --silent eval -- sentiment --cases FILE [--json] [--scorer model|lexicon]\n`,
  );
  process.exit(2);
};
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
/** The threshold setting in force: a fixed ANSWER_THRESHOLD, or per-language targets (listed per language below the report). */
const thresholdSetting = () =>
  (config.ANSWER_TARGET_PRECISION ?? config.ANSWER_TARGET_PRECISION_AR ?? config.ANSWER_TARGET_PRECISION_EN)
    ? `target precision (ar ${targetPrecision(config, 'ar') ?? '–'}, en ${targetPrecision(config, 'en') ?? '–'}; else ANSWER_THRESHOLD=${config.ANSWER_THRESHOLD})`
    : `ANSWER_THRESHOLD=${config.ANSWER_THRESHOLD}`;

async function main() {
  if (mode === 'retrieval') {
    if (!values.kb || !values.cases) fail('retrieval needs --kb DIR and --cases FILE');
    const progress = process.stderr.isTTY
      ? (d: number, t: number) => process.stderr.write(`\r  ${d}/${t} cases`)
      : undefined;
    const { report, outcomes, importFailures, paraphrases } = await evaluateRetrieval(
      config,
      values.kb as string,
      values.cases as string,
      progress,
    );
    if (progress) process.stderr.write('\n');
    // A refused article is never silent: its cases can only miss, so the reader must know why.
    for (const f of importFailures) process.stderr.write(`eval: refused article ${f}\n`);
    if (!values.json || values.details) {
      console.log(`retrieval on ${report.cases} cases (${values.cases})`);
      if (importFailures.length)
        console.log(
          `  ${importFailures.length} article(s) refused at import (listed on stderr); cases expecting them count as misses`,
        );
      console.log(`  top1 ${pct(report.top1)}  top3 ${pct(report.top3)}  mrr ${report.mrr.toFixed(3)}`);
      console.log(
        `  bot at ${thresholdSetting()}: answered ${pct(report.answered_rate)}, answered precision ${pct(report.answered_precision)}, out-of-scope handed off ${pct(report.oos_handoff_recall)}`,
      );
      console.log(`  turn latency p50 ${report.p50_ms} ms, p95 ${report.p95_ms} ms`);
      console.log('  threshold  coverage  precision   (answered precision against coverage)');
      for (const row of precisionCoverage(outcomes)) {
        console.log(
          `  ${row.threshold.toFixed(2).padStart(9)}  ${pct(row.coverage).padStart(8)}  ${pct(row.precision).padStart(9)}`,
        );
      }
      const reasons = new Map<string, number>();
      for (const o of outcomes)
        if (o.handoffReason) reasons.set(o.handoffReason, (reasons.get(o.handoffReason) ?? 0) + 1);
      console.log(`  hand-offs by reason: ${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ') || 'none'}`);
      for (const line of qualityLines(outcomes, config)) console.log(line);
      for (const line of assistLines(config, outcomes, paraphrases)) console.log(line);
    }
    if (values.details) for (const o of outcomes) console.log(JSON.stringify(o));
    if (values.json) console.log(JSON.stringify(report));
  } else if (mode === 'learning') {
    if (!values.kb || !values.cases) fail('learning needs --kb DIR and --cases FILE');
    const progress = process.stderr.isTTY
      ? (stage: string, d: number, t: number) => process.stderr.write(`\r  ${stage}: ${d}/${t}          `)
      : undefined;
    const r = await evaluateLearning(config, values.kb as string, values.cases as string, progress);
    if (progress) process.stderr.write('\n');
    if (values.json) console.log(JSON.stringify(r));
    else {
      console.log(`learned phrasing on ${values.cases}`);
      console.log(
        `  replayed ${r.learned} answerable cases as resolved hand-offs: ${r.proposed} phrasings proposed and accepted into ${r.articlesChanged} articles`,
      );
      console.log(
        `  measured on the other ${r.measured} answerable cases, ANSWER_THRESHOLD=${config.ANSWER_THRESHOLD}:`,
      );
      console.log('               top1  answered  answered precision');
      for (const [label, f] of [
        ['before', r.before],
        ['after', r.after],
      ] as const) {
        console.log(
          `  ${label.padEnd(8)} ${pct(f.top1).padStart(7)}  ${pct(f.answeredRate).padStart(8)}  ${pct(f.answeredPrecision).padStart(18)}`,
        );
      }
      const o = r.outOfScope;
      console.log(
        `  out-of-scope handed off: ${o.handedOffBefore}/${o.cases} before, ${o.handedOffAfter}/${o.cases} after`,
      );
    }
  } else if (mode === 'passages') {
    if (!values.kb || !values.cases) fail('passages needs --kb DIR and --cases FILE');
    const onProgress = process.stderr.isTTY
      ? (d: number, t: number) => process.stderr.write(`\r  ${d}/${t} cases`)
      : undefined;
    const { report, outcomes, importFailures } = await evaluatePassages(
      config,
      values.kb as string,
      values.cases as string,
      { split: values.split, onProgress },
    );
    if (onProgress) process.stderr.write('\n');
    for (const f of importFailures) process.stderr.write(`eval: refused article ${f}\n`);
    if (!values.json || values.details) {
      const line = (label: string, f: typeof report) =>
        `  ${label.padEnd(10)} ${String(f.cases).padStart(5)}  ${pct(f.passage_accuracy).padStart(16)}  ${pct(f.article_accuracy).padStart(7)}  ${pct(f.section_accuracy).padStart(24)}`;
      console.log(
        `passages quoted on ${report.cases} cases (${values.cases}${values.split ? `, split ${values.split}` : ''})`,
      );
      console.log('  split      cases  passage accuracy  article  section, article right');
      for (const [split, f] of Object.entries(report.splits)) console.log(line(split, { ...f, splits: {} }));
      if (Object.keys(report.splits).length > 1) console.log(line('all', report));
    }
    if (values.details) for (const o of outcomes) console.log(JSON.stringify(o));
    if (values.json) console.log(JSON.stringify(report));
  } else if (mode === 'sentiment') {
    if (!values.cases) fail('sentiment needs --cases FILE');
    const log = pino({ level: 'silent' });
    if (values.scorer !== 'model' && values.scorer !== 'lexicon') fail('--scorer is model or lexicon');
    // The lexicon alone stays measurable: it is one of the model's features.
    const local = values.scorer === 'lexicon' ? localSentimentScorer() : trainedSentimentScorer();
    const scorer = llmConfigured(config)
      ? llmSentimentScorer(createLlmClient(config), config.CHAT_MODEL, local, log)
      : local;
    const report = await evaluateSentiment(scorer, values.cases as string);
    if (!values.json) {
      console.log(`sentiment (${scorer.name}) on ${report.cases} cases (${values.cases})`);
      console.log(`  accuracy ${pct(report.accuracy)}  macro-F1 ${report.macro_f1.toFixed(3)}`);
      for (const [label, m] of Object.entries(report.per_label)) {
        console.log(
          `  ${label.padEnd(9)} precision ${pct(m.precision)}  recall ${pct(m.recall)}  f1 ${m.f1.toFixed(3)}  (${m.support})`,
        );
      }
    } else console.log(JSON.stringify(report));
  } else {
    fail(`unknown evaluation "${mode ?? ''}"`);
  }
}

// A bad cases file or folder is the user's to fix: say what is wrong, not a stack trace.
main().catch((error: unknown) => {
  process.stderr.write(`eval: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
