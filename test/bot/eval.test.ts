/**
 * `npm run eval` as a script would call it: the last stdout line with --json is one JSON
 * object with exactly the keys of ../shared/eval/README.md. Runs the entry point with this
 * Node and tsx (what `npm run eval` runs, without npm's start-up), on the same backend as the
 * tests (DATABASE_URL is passed through).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const RETRIEVAL_CASES = 'test/fixtures/eval/retrieval.jsonl';
const SENTIMENT_CASES = 'test/fixtures/eval/sentiment.jsonl';
const PASSAGE_CASES = 'test/fixtures/eval/passages.jsonl';

const scratch = mkdtempSync(join(tmpdir(), 'sanad-eval-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function evalCommand(args: string[]): Promise<Run> {
  // Offline and local whatever the developer's shell has: no model, local embedder.
  const env = { ...process.env };
  delete env.OPENAI_API_KEY;
  delete env.OPENAI_BASE_URL;
  delete env.EMBEDDER;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/eval.ts', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function lastJsonLine(run: Run): Record<string, unknown> {
  expect(run.code, run.stderr).toBe(0);
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines.at(-1) as string) as Record<string, unknown>;
}

function cases(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function expectFraction(value: unknown, name: string) {
  expect(typeof value, name).toBe('number');
  expect(value as number, name).toBeGreaterThanOrEqual(0);
  expect(value as number, name).toBeLessThanOrEqual(1);
}

describe('npm run eval', () => {
  it('retrieval --json: exactly the documented keys, fractions in 0..1, one case per line', async () => {
    const report = lastJsonLine(
      await evalCommand(['retrieval', '--kb', 'knowledge-base', '--cases', RETRIEVAL_CASES, '--json']),
    );
    expect(Object.keys(report).sort()).toEqual(
      [
        'top1',
        'top3',
        'mrr',
        'answered_rate',
        'answered_precision',
        'oos_handoff_recall',
        'cases',
        'p50_ms',
        'p95_ms',
      ].sort(),
    );
    for (const key of ['top1', 'top3', 'mrr', 'answered_rate', 'answered_precision', 'oos_handoff_recall']) {
      expectFraction(report[key], key);
    }
    expect(report.cases).toBe(cases(RETRIEVAL_CASES).length);
    const { top1, top3, mrr, p50_ms, p95_ms } = report as Record<string, number>;
    expect(top3).toBeGreaterThanOrEqual(top1!);
    expect(mrr).toBeGreaterThanOrEqual(top1!);
    expect(p50_ms).toBeGreaterThan(0);
    expect(p95_ms).toBeGreaterThanOrEqual(p50_ms!);
    // Not a quality bar, a sanity one: the sample set is written for the sample knowledge base.
    expect(top3).toBeGreaterThan(0.5);
    expect(report.oos_handoff_recall as number).toBeGreaterThan(0.5);
  }, 300_000);

  it("ranks as the bot retrieves (another language when none is in the customer's) and names a refused article", async () => {
    const kb = join(scratch, 'kb-ar-only');
    mkdirSync(kb, { recursive: true });
    writeFileSync(
      join(kb, 'payment.md'),
      '---\nid: payment-ar\ntitle: طرق الدفع\nlang: ar\nquestions:\n  - وش طرق الدفع عندكم؟\n---\nنقبل الدفع عبر STC Pay و Apple Pay ومدى والبطاقات الائتمانية.\n',
    );
    writeFileSync(
      join(kb, 'long.md'),
      `---\nid: long-title-ar\ntitle: ${'عنوان طويل '.repeat(35)}\nlang: ar\n---\nنص المقال.\n`,
    );
    const file = join(scratch, 'cross.jsonl');
    writeFileSync(
      file,
      '{"question": "Do you accept STC Pay and Apple Pay?", "expected": "payment-ar", "lang": "en"}\n',
    );
    const run = await evalCommand(['retrieval', '--kb', kb, '--cases', file, '--json']);
    const report = lastJsonLine(run);
    expect(report.top1).toBe(1);
    expect(run.stderr).toMatch(/refused article long\.md: title: must be at most 300 characters \(it has \d{3}\)/);
  }, 300_000);

  it('passages --json: accuracy overall and by split; the right section for most of the development split', async () => {
    const report = lastJsonLine(
      await evalCommand(['passages', '--kb', 'knowledge-base', '--cases', PASSAGE_CASES, '--split', 'dev', '--json']),
    );
    const keys = ['cases', 'passage_accuracy', 'article_accuracy', 'section_accuracy'];
    expect(Object.keys(report).sort()).toEqual([...keys, 'splits'].sort());
    for (const key of keys.slice(1)) expectFraction(report[key], key);
    const dev = cases(PASSAGE_CASES).filter((c) => c.split === 'dev');
    expect(report.cases).toBe(dev.length);
    expect(Object.keys(report.splits as object)).toEqual(['dev']);
    // Measured 0.72 of the sections right where the article is right (0.30 before sections were
    // ranked); the bar leaves room for noise, not for the old behaviour.
    expect(report.section_accuracy as number).toBeGreaterThan(0.6);
    expect(report.passage_accuracy as number).toBeGreaterThan(0.45);
  }, 300_000);

  it('sentiment --json: cases, accuracy, macro_f1 and per_label, with supports matching the file', async () => {
    const report = lastJsonLine(await evalCommand(['sentiment', '--cases', SENTIMENT_CASES, '--json']));
    expect(Object.keys(report).sort()).toEqual(['accuracy', 'cases', 'macro_f1', 'per_label']);
    const labelled = cases(SENTIMENT_CASES);
    expect(report.cases).toBe(labelled.length);
    expectFraction(report.accuracy, 'accuracy');
    expectFraction(report.macro_f1, 'macro_f1');
    const perLabel = report.per_label as Record<string, Record<string, number>>;
    expect(Object.keys(perLabel).sort()).toEqual(['negative', 'neutral', 'positive']);
    for (const [label, m] of Object.entries(perLabel)) {
      expect(Object.keys(m).sort()).toEqual(['f1', 'precision', 'recall', 'support']);
      for (const key of ['precision', 'recall', 'f1']) expectFraction(m[key], `${label}.${key}`);
      expect(m.support).toBe(labelled.filter((c) => c.label === label).length);
    }
  });

  it('reads any set in the format: a two-line file gives two cases', async () => {
    const file = join(scratch, 'two.jsonl');
    writeFileSync(
      file,
      '{"text": "شكرا لكم الخدمة ممتازة", "label": "positive"}\n\n{"text": "the order never arrived and nobody replies", "label": "negative", "note": "ignored"}\n',
    );
    const report = lastJsonLine(await evalCommand(['sentiment', '--cases', file, '--json']));
    expect(report.cases).toBe(2);
  });

  it('a bad invocation exits non-zero with a usage message', async () => {
    const invocations = [
      ['sentiment', '--json'],
      ['retrieval', '--cases', RETRIEVAL_CASES, '--json'],
      ['retrieval', '--kb', 'knowledge-base', '--json'],
      ['nonsense'],
      [],
    ];
    const runs = await Promise.all(invocations.map(evalCommand));
    for (const [i, run] of runs.entries()) {
      const args = invocations[i]!;
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr, args.join(' ')).toMatch(/Usage: npm run --silent eval -- retrieval --kb DIR --cases FILE/);
      expect(run.stdout).toBe('');
    }
  });

  it('a malformed cases file exits non-zero naming the line', async () => {
    const file = join(scratch, 'bad.jsonl');
    writeFileSync(file, '{"text": "fine", "label": "neutral"}\n{"text": "meh", "label": "angry"}\n');
    const run = await evalCommand(['sentiment', '--cases', file, '--json']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`${file}:2`);
  });
});
