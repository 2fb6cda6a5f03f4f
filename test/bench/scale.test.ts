import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scaleLevel } from '../../src/bench/scale.js';
import { readRetrievalCases } from '../../src/eval/cases.js';
import { readFolder } from '../../src/knowledge/folder.js';
import { INTENT_DIMS } from '../../src/knowledge/knowledge-base.js';
import { detectLanguage } from '../../src/text/language.js';

const KB_DIR = fileURLToPath(new URL('../../knowledge-base', import.meta.url));
const CASES = fileURLToPath(new URL('../fixtures/eval/retrieval.jsonl', import.meta.url));

describe('the bench at scale', () => {
  it('indexes the chunks asked for and finds exactly what the exact scan finds (the index is exact, not approximate)', async () => {
    const sample = await readFolder(KB_DIR);
    const queries = (await readRetrievalCases(CASES))
      .slice(0, 12)
      .map((c) => ({ question: c.question, lang: c.lang ?? detectLanguage(c.question).lang }));
    const r = await scaleLevel(
      sample.articles.map((a) => a.article),
      400,
      queries,
      { seed: 3, intentDims: INTENT_DIMS },
    );
    expect(r.chunks).toBe(400);
    expect(r.recall_at_10).toBe(1);
    expect(r.index.n).toBeGreaterThan(5);
    expect(r.retrieve.n).toBe(r.index.n);
  });
});
