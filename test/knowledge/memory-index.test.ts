import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRetrievalCases } from '../../src/eval/cases.js';
import { INTENT_DIMS } from '../../src/knowledge/knowledge-base.js';
import { LocalHashEmbedder } from '../../src/knowledge/local-embedder.js';
import { buildMemoryIndex } from '../../src/knowledge/memory-index.js';
import { defaultTuning, type Retrieval, retrieverOver, sqlSource } from '../../src/knowledge/retrieve.js';
import { parseTsQuery, parseTsVector } from '../../src/knowledge/tsvector.js';
import { testDeps } from '../helpers/backends.js';

const KB_DIR = fileURLToPath(new URL('../../knowledge-base', import.meta.url));
const CASES = fileURLToPath(new URL('../fixtures/eval/retrieval.jsonl', import.meta.url));

let deps: Awaited<ReturnType<typeof testDeps>>;

beforeAll(async () => {
  deps = await testDeps();
  const report = await deps.kb.importFolder(KB_DIR);
  expect(report.failed).toEqual([]);
});
afterAll(async () => deps.close());

const embedder = new LocalHashEmbedder();
const intent = { embedder: new LocalHashEmbedder(INTENT_DIMS) };
const model = { model: embedder.model, dims: embedder.dims };

/**
 * What a caller sees of a retrieval; scores to 3 decimals (float4 sums may differ in the last
 * bits). The intent probability apart: the index holds the intent weights in 16 bits.
 */
const shape = (r: Retrieval) => ({
  unknownTerms: r.unknownTerms,
  articles: r.articles.map((a) => ({
    id: a.articleId,
    title: a.title,
    tags: a.tags,
    score: a.score.toFixed(3),
    coverage: a.coverage,
    passages: a.passages.map((p) => p.chunkId),
  })),
});

describe('the in-memory index', () => {
  it('ranks as the database does: same articles, order, passages and unknown terms, with and without filters', async () => {
    const sql = sqlSource(deps.db, embedder, model, intent);
    const index = await buildMemoryIndex(deps.db, {
      embedder,
      model,
      intentEmbedder: intent.embedder,
      fallback: sql,
    });
    expect(index.stats.chunks).toBeGreaterThan(100);
    const fromDb = retrieverOver(sql, embedder, defaultTuning, intent);
    const fromMemory = retrieverOver(index.source, embedder, defaultTuning, intent);
    const cases = (await readRetrievalCases(CASES)).filter((_, i) => i % 4 === 0);
    const queries: [string, { lang?: 'ar' | 'en'; tags?: string[] }][] = [
      ...cases.map((c): [string, object] => [c.question, {}]),
      ["it's 1,000 riyals, isn't it? e-mail me", {}],
      ['refund', { lang: 'en' }],
      ['استرجاع', { lang: 'ar' }],
      ['refund', { tags: ['no-such-tag'] }],
    ];
    for (const [q, options] of queries) {
      const a = await fromDb.retrieve(q, options);
      const b = await fromMemory.retrieve(q, options);
      expect({ q, ...shape(b) }).toEqual({ q, ...shape(a) });
      for (const [i, article] of b.articles.entries()) {
        expect(Math.abs(article.intent - (a.articles[i]?.intent as number)), q).toBeLessThan(2e-3);
      }
    }
  });

  it('follows the knowledge base: a newly published article is retrieved, and the database answers while the index rebuilds', async () => {
    await deps.kb.ready();
    const before = await (await deps.kb.retriever()).retrieve('falcon festival parking');
    expect(before.articles.map((a) => a.articleId)).not.toContain('falcon-parking-en');
    await deps.kb.save({
      id: 'falcon-parking-en',
      title: 'Parking at the falcon festival',
      lang: 'en',
      tags: ['events'],
      team: null,
      questions: ['where do I park for the falcon festival?', 'is there parking at the falcon festival'],
      body: 'Free parking for the falcon festival is at gate 3, open from 8 am.',
      status: 'published',
    });
    await deps.kb.index('falcon-parking-en');
    // Not waited for: the database answers, already with the new article.
    const during = await (await deps.kb.retriever()).retrieve('falcon festival parking');
    expect(during.articles[0]?.articleId).toBe('falcon-parking-en');
    const stats = await deps.kb.ready();
    expect(stats?.articles).toBeGreaterThan(50);
    const after = await (await deps.kb.retriever()).retrieve('falcon festival parking');
    expect(after.articles[0]?.articleId).toBe('falcon-parking-en');
    expect(shape(after)).toEqual(shape(during));
  });
});

describe('full-text values as Postgres prints them', () => {
  it('reads lexemes with their position counts, quotes and backslashes undone', () => {
    expect(parseTsVector("'a':1,3 'it''s':2 'b\\\\c':4 'w':5A,6")).toEqual(
      new Map([
        ['a', 2],
        ["it's", 1],
        ['b\\c', 1],
        ['w', 2],
      ]),
    );
    expect(parseTsVector('')).toEqual(new Map());
  });

  it('reads a conjunction of lexemes, and refuses phrases and other operators', () => {
    expect(parseTsQuery("'it' & 's'")).toEqual(['it', 's']);
    expect(parseTsQuery("'up.i'")).toEqual(['up.i']);
    expect(parseTsQuery('')).toEqual([]);
    expect(parseTsQuery("'1' <-> '000'")).toBeNull();
    expect(parseTsQuery("!'a'")).toBeNull();
  });
});
