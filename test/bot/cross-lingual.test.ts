/**
 * CROSS_LINGUAL_RETRIEVAL with a multilingual embedding model, msw standing in for the
 * embeddings endpoint: texts on the same topic map to nearby vectors whatever their language
 * (as a multilingual model does), so an English question reaches an Arabic-only article by
 * meaning while its words match nothing there.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { botFor } from '../../src/bot/bot.js';
import { type BotDeps, decide } from '../../src/bot/decide.js';
import { silentLog, testConfig, testDeps } from '../helpers/backends.js';

const EMBEDDINGS_URL = 'https://api.openai.com/v1/embeddings';
const MODEL = {
  OPENAI_API_KEY: 'test',
  EMBEDDER: 'openai',
  EMBEDDING_MODEL: 'multilingual-test',
  EMBEDDING_DIMENSIONS: '8',
  LLM_MAX_RETRIES: '0',
};

// One axis per topic, named in both languages; the last axes keep texts apart within a topic.
const TOPICS = [
  /return|refund|إرجاع|ارجاع|استرجاع|أرجع|ارجع|الاسترداد/i,
  /deliver|shipping|توصيل|شحن/i,
  /pay|card|دفع|بطاقة|الدفع/i,
];
function topicVector(text: string): number[] {
  const v = new Array(8).fill(0) as number[];
  TOPICS.forEach((re, i) => {
    if (re.test(text)) v[i] = 1;
  });
  const seed = [...text].reduce((h, ch) => (h * 31 + (ch.codePointAt(0) ?? 0)) % 997, 7);
  v[4 + (seed % 4)] = 0.3;
  return v;
}

let inputs: string[] = [];
let failing = false;
const server = setupServer(
  http.post(EMBEDDINGS_URL, async ({ request }) => {
    const body = (await request.json()) as { input: string | string[] };
    const texts = Array.isArray(body.input) ? body.input : [body.input];
    inputs.push(...texts);
    if (failing) return new HttpResponse(null, { status: 500 });
    return HttpResponse.json({
      object: 'list',
      data: texts.map((t, index) => ({ object: 'embedding', index, embedding: topicVector(t) })),
      model: 'multilingual-test',
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
  }),
);

const ARTICLES = {
  'en/delivery.md': `---
id: delivery-en
title: How long does delivery take?
lang: en
questions:
  - when will my order arrive
---
Delivery takes 2 to 5 working days inside Saudi Arabia.`,
  'en/payment.md': `---
id: payment-en
title: Which payment methods do you accept?
lang: en
questions:
  - can I pay by card
---
We accept mada, Visa, Mastercard and Apple Pay.`,
  // Only in Arabic: no English article on returns.
  'ar/returns.md': `---
id: returns-ar
title: ما سياسة الإرجاع؟
lang: ar
questions:
  - كم يوم عندي عشان أرجع الغرض؟
---
يمكنك إرجاع المنتج خلال ١٥ يومًا من الاستلام بحالته الأصلية.`,
};

let deps: Awaited<ReturnType<typeof testDeps>>;
let dir: string;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  dir = await mkdtemp(join(tmpdir(), 'sanad-xling-'));
  for (const [file, text] of Object.entries(ARTICLES)) {
    await writeFile(join(dir, file.replace('/', '-')), text);
  }
  deps = await testDeps({ config: MODEL });
  const imported = await deps.kb.importFolder(dir);
  expect(imported.failed).toEqual([]);
});
afterAll(async () => {
  server.close();
  await deps?.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  inputs = [];
  failing = false;
});
afterEach(() => server.resetHandlers());

/** The local answerer and sentiment (no chat model), retrieving over the multilingual vectors. */
function bot(switches: Record<string, string>): BotDeps {
  const local = botFor({ kb: deps.kb, config: testConfig(), log: silentLog });
  return { ...local, config: testConfig({ ...MODEL, ...switches }) };
}
const ask = (b: BotDeps, content: string) =>
  decide(
    b,
    { id: 'm-1', content, lang: 'en' },
    {
      id: 'c-1',
      status: 'bot',
      lang: 'en',
      modelCalls: 0,
      botFailures: 0,
      lastArticleId: null,
      sentimentTrend: [],
    },
  );

const QUESTION = 'I want to return an item, my phone is 0501234567';

describe('cross-lingual retrieval', () => {
  it('reaches the Arabic-only article from an English question when switched on', async () => {
    const d = await ask(bot({ CROSS_LINGUAL_RETRIEVAL: 'true' }), QUESTION);
    expect(d.retrieval?.articles[0]?.articleId).toBe('returns-ar');
    expect(d.assists?.crossLingual).toBe(true);
    // What the embedding model saw of the question was redacted.
    expect(inputs.some((t) => t.includes('return an item'))).toBe(true);
    expect(inputs.join('\n')).not.toContain('0501234567');
  });

  it('stays with the articles in the customer language when off', async () => {
    const d = await ask(bot({}), QUESTION);
    expect(d.retrieval?.articles[0]?.lang).toBe('en');
    expect(d.assists).toBeUndefined();
  });

  it('keeps an English article that answers well in English', async () => {
    const d = await ask(bot({ CROSS_LINGUAL_RETRIEVAL: 'true' }), 'how long does delivery take?');
    expect(d.retrieval?.articles[0]?.articleId).toBe('delivery-en');
    expect(d.assists).toBeUndefined();
  });

  it('hands off with a reason when the embedding model fails, never throws', async () => {
    failing = true;
    const d = await ask(bot({ CROSS_LINGUAL_RETRIEVAL: 'true' }), QUESTION);
    expect(d.kind).toBe('handoff');
    expect(d.kind === 'handoff' && d.reason).toBe('model_unavailable');
  });
});
