/**
 * LLM_PARAPHRASES: paraphrases of each article's example questions in Gulf Arabic, MSA and
 * English, written by a model (msw standing in for chat completions) and stored as learned
 * phrasing marked generated, retrievable like the article's own questions.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { evidenceOf, retrievalConfidence } from '../../src/bot/confidence.js';
import { retrieveWithFallback } from '../../src/bot/decide.js';
import { createLlmClient } from '../../src/bot/llm-client.js';
import { paraphraseAll, paraphraseJob } from '../../src/editor/generated-phrasing.js';
import { paraphrasing } from '../../src/editor/generated-phrasing-jobs.js';
import { dismissPhrasing, listPhrasings } from '../../src/editor/learned-phrasing.js';
import { contentOf, getArticle } from '../../src/knowledge/articles.js';
import type { Lang } from '../../src/text/language.js';
import { PhrasingPage } from '../../src/web/editor/phrasing-page.js';
import { silentLog, testConfig, testDeps } from '../helpers/backends.js';
import { completion } from '../helpers/openai.js';

const CHAT_URL = 'https://api.openai.com/v1/chat/completions';
const MODEL = {
  OPENAI_API_KEY: 'test',
  EMBEDDER: 'local',
  CHAT_MODEL: 'gpt-test',
  LLM_MAX_RETRIES: '0',
  LLM_PARAPHRASES: 'true',
};

const GULF = 'ينفع اشتري الشاشة واسدد بعدين؟';
let calls: string[] = [];
let reply: (user: string) => Response;

/** A well-behaved model: one paraphrase per variety for each numbered question it was sent (the Gulf wording under test for the instalments article). */
const paraphrasesOf = (user: string) => {
  const numbers = [...user.matchAll(/^(\d+)\. /gm)].map((m) => Number(m[1]));
  return completion(
    JSON.stringify({
      paraphrases: numbers.map((n) => ({
        question: n,
        gulf: n === 1 && user.includes('بالتقسيط') ? [GULF] : [`وش السؤال رقم ${n}؟`],
        msa: [`ما هو السؤال رقم ${n}؟`],
        en: [`what is question number ${n}?`],
      })),
    }),
  );
};

const server = setupServer(
  http.post(CHAT_URL, async ({ request }) => {
    const body = (await request.json()) as { messages: { role: string; content: string }[] };
    if (!body.messages[0]?.content.includes('other ways customers ask')) {
      return HttpResponse.json({ error: { message: 'unexpected prompt' } }, { status: 400 });
    }
    const user = body.messages[1]?.content ?? '';
    calls.push(user);
    return reply(user);
  }),
);

const ARTICLES = {
  'instalments.md': `---
id: instalments-ar
title: هل يمكنني الدفع بالتقسيط؟
lang: ar
questions:
  - هل تتوفر خدمة تابي وتمارا؟
  - راسلوني على sara@example.com بخصوص الأقساط
---
نعم: تقسم تابي وتمارا المبلغ على أربع دفعات بلا فوائد.`,
  'returns.md': `---
id: returns-ar
title: ما سياسة الإرجاع؟
lang: ar
questions:
  - كم يوم عندي عشان أرجع الغرض؟
---
يمكنك إرجاع المنتج خلال ١٥ يومًا من الاستلام بحالته الأصلية.`,
  'delivery.md': `---
id: delivery-ar
title: كم يستغرق التوصيل؟
lang: ar
questions:
  - متى يوصل طلبي؟
---
يصل الطلب خلال يومين إلى خمسة أيام عمل داخل المملكة.`,
  'warranty.md': `---
id: warranty-ar
title: ما مدة الضمان على الأجهزة؟
lang: ar
questions:
  - الجهاز خرب وش أسوي؟
---
جميع الأجهزة مضمونة لمدة سنتين من تاريخ الشراء.`,
};

let deps: Awaited<ReturnType<typeof testDeps>>;
let dir: string;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  dir = await mkdtemp(join(tmpdir(), 'sanad-paraphrase-'));
  for (const [file, text] of Object.entries(ARTICLES)) await writeFile(join(dir, file), text);
  deps = await testDeps({ config: MODEL });
  expect((await deps.kb.importFolder(dir)).failed).toEqual([]);
});
afterAll(async () => {
  server.close();
  await deps?.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  calls = [];
  reply = paraphrasesOf;
});
afterEach(() => server.resetHandlers());

function sweep(overrides: Record<string, string> = {}, articleIds?: string[]) {
  const config = testConfig({ ...MODEL, ...overrides });
  return paraphraseAll(
    { db: deps.db, client: createLlmClient(config), config, log: silentLog },
    { articleIds, index: (ids) => deps.kb.indexMany(ids) },
  );
}
const generated = (articleId: string) =>
  deps.db.query<{ id: string; question: string; variety: string; status: string; lang: string }>(
    "SELECT id, question, variety, status, lang FROM learned_phrasings WHERE article_id = $1 AND origin = 'generated' ORDER BY created_at, id",
    [articleId],
  );
async function top(question: string, lang: Lang) {
  const found = await retrieveWithFallback(await deps.kb.retriever(), question, lang);
  return found.articles[0]?.articleId;
}
/** The bot's confidence that the question is about the article (0 when not retrieved first). */
async function sureOf(question: string, articleId: string) {
  const found = await retrieveWithFallback(await deps.kb.retriever(), question, 'ar');
  return found.articles[0]?.articleId === articleId ? retrievalConfidence(evidenceOf(found)) : 0;
}
async function clearGenerated() {
  await deps.db.query("DELETE FROM learned_phrasings WHERE origin = 'generated'");
  await deps.kb.indexMany(['instalments-ar', 'returns-ar', 'delivery-ar', 'warranty-ar']);
}

describe('paraphrases at ingestion', () => {
  it('stores paraphrases as generated phrasing that retrieval finds, with personal data redacted from the model', async () => {
    await clearGenerated();
    // Before: a Gulf customer's wording shares no word with the MSA article on instalments.
    expect(await sureOf(GULF, 'instalments-ar')).toBeLessThan(0.35);

    const stats = await sweep();
    expect(stats).toEqual({ articles: 4, generated: 15, failed: 0 });
    expect(calls).toHaveLength(4);
    const sent = calls.find((c) => c.includes('بالتقسيط'))!;
    expect(sent).not.toContain('sara@example.com');
    expect(sent).toContain('[EMAIL]');

    const rows = await generated('instalments-ar');
    expect(rows.map((r) => r.variety).sort()).toEqual(['en', 'en', 'gulf', 'gulf', 'msa', 'msa']);
    expect(rows.every((r) => r.status === 'accepted')).toBe(true);
    expect(rows.find((r) => r.variety === 'gulf')?.lang).toBe('ar');
    // Editors see them, marked as generated.
    const listed = await listPhrasings(deps.db, { status: 'accepted', articleId: 'instalments-ar' });
    expect(listed.map((p) => p.origin)).toEqual(Array(6).fill('generated'));
    const page = (
      await PhrasingPage({ locale: 'en', nonce: 'n', me: 'e', phrasings: [], generated: listed, autoAccept: false })
    ).toString();
    expect(page).toContain('Generated paraphrases (live)');
    expect(page).toContain(GULF);
    expect(page).toContain('data-action="dismiss"');
    // The article itself is not changed: its questions stay the editor's.
    expect((await getArticle(deps.db, 'instalments-ar'))?.questions).toHaveLength(2);

    // After: the Gulf paraphrase is one of the article's questions, and the bot is sure of it.
    expect(await sureOf(GULF, 'instalments-ar')).toBeGreaterThan(0.6);
  });

  it('is not asked again for unchanged questions, and follows the questions that change', async () => {
    await clearGenerated();
    await sweep();
    calls = [];
    expect(await sweep()).toEqual({ articles: 0, generated: 0, failed: 0 });
    expect(calls).toEqual([]);

    // One question replaced: only the new one is sent, the old one's paraphrases go.
    const article = (await getArticle(deps.db, 'instalments-ar'))!;
    await deps.kb.save({ ...contentOf(article), questions: ['هل تتوفر خدمة تابي وتمارا؟', 'هل على تمارا فوائد؟'] });
    await deps.kb.index('instalments-ar');
    await sweep();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain('1. هل على تمارا فوائد؟');
    expect(calls[0]).not.toContain('تابي وتمارا؟');
    const rows = await generated('instalments-ar');
    expect(rows).toHaveLength(6);
    expect(rows.some((r) => r.question === GULF)).toBe(true);
  });

  it('keeps at most LLM_PARAPHRASES_PER_ARTICLE, spread over the questions', async () => {
    await clearGenerated();
    await sweep({ LLM_PARAPHRASES_PER_ARTICLE: '2' }, ['instalments-ar']);
    const rows = await generated('instalments-ar');
    expect(rows).toHaveLength(2);
    // Nothing more is asked once the article is full.
    calls = [];
    await sweep({ LLM_PARAPHRASES_PER_ARTICLE: '2' }, ['instalments-ar']);
    expect(calls).toEqual([]);
  });

  it('stores nothing when the model fails or its output is unusable, and the article keeps working', async () => {
    for (const bad of [
      () => new HttpResponse(null, { status: 500 }),
      () => completion('here are some paraphrases!'),
      () => completion(JSON.stringify({ paraphrases: 'none' })),
    ]) {
      await clearGenerated();
      reply = bad;
      const stats = await sweep({}, ['instalments-ar']);
      expect(stats.failed).toBe(1);
      expect(await generated('instalments-ar')).toEqual([]);
    }
    expect(await top('هل تتوفر خدمة تابي وتمارا؟', 'ar')).toBe('instalments-ar');
  });

  it('refuses paraphrases in the wrong language, with personal data, or repeating a question', async () => {
    await clearGenerated();
    reply = () =>
      completion(
        JSON.stringify({
          paraphrases: [
            {
              question: 1,
              gulf: ['can I split it (English, not Gulf)', 'ابي اقسط، كلموني على 0501234567'],
              msa: ['هل تتوفر خدمة تابي وتمارا؟', 42],
              en: ['Can I pay for my order in parts?'],
            },
            { question: 9, gulf: ['سؤال لم يُرسل'], msa: [], en: [] },
          ],
        }),
      );
    await sweep({}, ['instalments-ar']);
    expect((await generated('instalments-ar')).map((r) => r.question)).toEqual(['Can I pay for my order in parts?']);
  });

  it('can be removed by an editor, which takes it out of retrieval', async () => {
    await clearGenerated();
    await sweep();
    const gulf = (await generated('instalments-ar')).find((r) => r.question === GULF)!;
    const dismissed = await dismissPhrasing(deps.db, gulf.id, 'editor@example.com');
    expect(dismissed.status).toBe('dismissed');
    expect(await sureOf(GULF, 'instalments-ar')).toBeGreaterThan(0.6);
    await deps.kb.index('instalments-ar');
    expect(await sureOf(GULF, 'instalments-ar')).toBeLessThan(0.35);
    // Removed is not regenerated: the question it paraphrased was already sent.
    calls = [];
    await sweep();
    expect(calls).toEqual([]);
  });

  it('runs as a job that fails for the runner to retry when an article could not be paraphrased', async () => {
    await clearGenerated();
    const config = testConfig(MODEL);
    const { jobs } = paraphrasing({ ...deps.service.platform, config }, deps.kb);
    const job = jobs!.find((j) => j.name === paraphraseJob.name)!;
    reply = () => new HttpResponse(null, { status: 503 });
    const ctx = { progress: async () => {}, attempt: 1, attempts: 3 };
    await expect(job.handle({ articleIds: ['instalments-ar'] }, ctx)).rejects.toThrow(/paraphrasing failed/);
    reply = paraphrasesOf;
    await expect(job.handle({}, ctx)).resolves.toMatchObject({ generated: 15 });
    // Switched off: no job, no sweep.
    expect(paraphrasing({ ...deps.service.platform, config: testConfig() }, deps.kb)).toEqual({});
  });
});
