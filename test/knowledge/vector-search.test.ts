import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toVectorLiteral } from '../../src/knowledge/embedder.js';
import { knowledgeBase } from '../../src/knowledge/knowledge-base.js';
import { LocalHashEmbedder } from '../../src/knowledge/local-embedder.js';
import { exactChunksSql, nearestChunks } from '../../src/knowledge/vector-search.js';
import type { Db } from '../../src/platform/db/db.js';
import { testDatabase } from '../helpers/backends.js';

const embedder = new LocalHashEmbedder();
let db: Db;

// Many articles close to the query under a common tag, and one further away under a rare tag:
// the nearest embeddings the index returns are all filtered out by tags: ['rare'].
beforeAll(async () => {
  db = await testDatabase();
  const kb = knowledgeBase(db, embedder);
  const articles = [
    ...Array.from({ length: 30 }, (_, i) => ({
      id: `refund-${i}`,
      title: `Refund to your card, region ${i}`,
      tags: ['common'],
      // Shared by every common article: one embedding, thirty chunks.
      questions: ['How long does a refund to my card take?'],
      body: `A refund reaches your card in region ${i} within five business days after we receive the item.`,
    })),
    {
      id: 'delivery-fees',
      title: 'Delivery fees',
      tags: ['rare'],
      questions: ['How much is delivery to Riyadh?'],
      body: 'Delivery is free above 200 riyals; a refund of delivery fees is made when an order is cancelled.',
    },
  ];
  for (const a of articles) {
    await kb.save({ ...a, lang: 'en', team: null, status: 'published' });
    await kb.index(a.id);
  }
});
afterAll(async () => db.close());

async function search(tags: string[] | null, limit: number, overfetch: number) {
  const vector = toVectorLiteral(await embedder.embedQuery('how long does a refund to my card take'));
  const query = { vector, model: embedder.model, dims: embedder.dims, lang: 'en', tags, limit };
  const exact = await db.query<{ id: number; article_id: string }>(
    exactChunksSql(embedder.dims, embedder.model, limit),
    [vector, 'en', tags],
  );
  return { found: await nearestChunks(db, { ...query, overfetch }), exact };
}

describe('vector search', () => {
  it('reads the nearest embeddings from the index and keeps the exact order', async () => {
    const { found, exact } = await search(null, 20, 4);
    expect(found.exact).toBe(false);
    expect(found.hits.map((h) => h.id)).toEqual(exact.map((h) => h.id));
    // The shared passage's one embedding stands for the chunk of every article that has it.
    const shared = found.hits.filter((h) => h.content === 'How long does a refund to my card take?');
    expect(new Set(shared.map((h) => h.article_id)).size).toBeGreaterThan(1);
  });

  it('falls back to the exact query when a narrow tag filter excludes the nearest neighbours', async () => {
    const { found, exact } = await search(['rare'], 5, 1);
    expect(found.exact).toBe(true);
    expect(found.hits.length).toBeGreaterThan(0);
    expect(found.hits.every((h) => h.article_id === 'delivery-fees')).toBe(true);
    expect(found.hits.map((h) => h.id)).toEqual(exact.map((h) => h.id));
  });
});
