/**
 * The turn's model assists (LLM_FOLLOW_UP_REWRITE, LLM_RERANK) against msw standing in for the
 * chat-completions endpoint. The bot answers locally (no answer or sentiment model), so the only
 * calls leaving the process are the assists', and any other request fails the test.
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { botFor } from '../../src/bot/bot.js';
import { type BotDeps, decide } from '../../src/bot/decide.js';
import type { ConversationSnapshot } from '../../src/bot/decision.js';
import { createLlmClient } from '../../src/bot/llm-client.js';
import { modelAssists, orderOf } from '../../src/bot/model-assists.js';
import type { Lang } from '../../src/text/language.js';
import { silentLog, testConfig, testDeps } from '../helpers/backends.js';
import { completion } from '../helpers/openai.js';

const CHAT_URL = 'https://api.openai.com/v1/chat/completions';
const MODEL = { OPENAI_API_KEY: 'test', EMBEDDER: 'local', CHAT_MODEL: 'gpt-test', LLM_MAX_RETRIES: '0' };

interface Call {
  op: 'rewrite' | 'rerank';
  user: string;
}
let calls: Call[] = [];
let reply: (call: Call) => Response | Promise<Response>;

const server = setupServer(
  http.post(CHAT_URL, async ({ request }) => {
    const body = (await request.json()) as { messages: { role: string; content: string }[] };
    const system = body.messages[0]?.content ?? '';
    const op = system.includes('standalone question')
      ? 'rewrite'
      : system.includes('rank help-centre')
        ? 'rerank'
        : undefined;
    if (!op) return HttpResponse.json({ error: { message: 'unexpected prompt' } }, { status: 400 });
    const call: Call = { op, user: body.messages[1]?.content ?? '' };
    calls.push(call);
    return reply(call);
  }),
);

let deps: Awaited<ReturnType<typeof testDeps>>;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  deps = await testDeps();
  const imported = await deps.kb.importFolder('knowledge-base');
  expect(imported.failed).toEqual([]);
});
afterAll(async () => {
  server.close();
  await deps?.close();
});
beforeEach(() => {
  calls = [];
});
afterEach(() => server.resetHandlers());

/** The local bot with the given assists switched on (the model's client talks to msw). */
function bot(switches: Record<string, string>): BotDeps {
  const config = testConfig({ ...MODEL, ...switches });
  const local = botFor({ kb: deps.kb, config: testConfig(), log: silentLog });
  return { ...local, config, assists: modelAssists(createLlmClient(config), config, silentLog) };
}

function snapshot(previous?: { text: string; lang: Lang }): ConversationSnapshot {
  return {
    id: 'c-1',
    status: 'bot',
    lang: previous?.lang ?? null,
    modelCalls: 0,
    botFailures: 0,
    lastArticleId: null,
    sentimentTrend: [],
    previousQuestion: previous ?? null,
  };
}

const ask = (b: BotDeps, content: string, lang: Lang, previous?: { text: string; lang: Lang }) =>
  decide(b, { id: 'm-1', content, lang }, snapshot(previous));

const PREVIOUS = { text: 'what payment methods do you accept? my number is 0501234567', lang: 'en' as const };
const FOLLOW_UP = 'ok and in parts?';
const STANDALONE = 'Can I split the price into 4 payments with Tabby or Tamara?';

describe('follow-up rewrite', () => {
  it('retrieves and answers with the standalone question the model wrote', async () => {
    reply = () => completion(JSON.stringify({ question: STANDALONE }));
    const d = await ask(bot({ LLM_FOLLOW_UP_REWRITE: 'true' }), FOLLOW_UP, 'en', PREVIOUS);
    expect(calls.map((c) => c.op)).toEqual(['rewrite']);
    expect(d.assists?.rewritten).toBe(STANDALONE);
    expect(d.retrieval?.articles[0]?.articleId).toBe('instalments-tabby-tamara-en');
    expect(d.modelCalls).toBe(1);
    // The model saw both questions, with the phone number redacted.
    expect(calls[0]!.user).toContain(FOLLOW_UP);
    expect(calls[0]!.user).toContain('what payment methods do you accept?');
    expect(calls[0]!.user).not.toContain('0501234567');
    expect(calls[0]!.user).toContain('[PHONE]');
  });

  it('falls back to the local reading when the model fails or writes nonsense', async () => {
    const local = await ask(bot({}), FOLLOW_UP, 'en', PREVIOUS);
    expect(calls).toEqual([]);
    for (const failure of [
      () => new HttpResponse(null, { status: 500 }),
      () => completion('not json'),
      () => completion(JSON.stringify({ answer: 'wrong shape' })),
    ]) {
      reply = failure;
      calls = [];
      const d = await ask(bot({ LLM_FOLLOW_UP_REWRITE: 'true' }), FOLLOW_UP, 'en', PREVIOUS);
      expect(calls).toHaveLength(1);
      expect(d.assists?.rewritten).toBeUndefined();
      expect(d.kind).toBe(local.kind);
      expect(d.retrieval?.articles.map((a) => a.articleId)).toEqual(local.retrieval?.articles.map((a) => a.articleId));
    }
  });

  it('is not asked for a message that stands on its own, nor without a previous question', async () => {
    reply = () => completion(JSON.stringify({ question: STANDALONE }));
    await ask(bot({ LLM_FOLLOW_UP_REWRITE: 'true' }), 'how long does a refund take?', 'en', PREVIOUS);
    await ask(bot({ LLM_FOLLOW_UP_REWRITE: 'true' }), FOLLOW_UP, 'en');
    expect(calls).toEqual([]);
  });
});

describe('rerank', () => {
  const QUESTION = 'how long does a refund take? my phone is 0501234567';

  it('puts the article the model ranks first at the top', async () => {
    const plain = await ask(bot({}), QUESTION, 'en');
    const ids = plain.retrieval!.articles.map((a) => a.articleId);
    reply = () => completion(JSON.stringify({ order: ['A2', 'A1'] }));
    const d = await ask(bot({ LLM_RERANK: 'true', LLM_RERANK_TOP: '3' }), QUESTION, 'en');
    expect(calls.map((c) => c.op)).toEqual(['rerank']);
    expect(d.assists?.reranked).toBe(true);
    // A2, A1, then the rest of the top three and everything below it in retrieval's order.
    expect(d.retrieval!.articles.map((a) => a.articleId)).toEqual([ids[1], ids[0], ...ids.slice(2)]);
    expect(calls[0]!.user).toContain('[A3]');
    expect(calls[0]!.user).not.toContain('[A4]');
    expect(calls[0]!.user).not.toContain('0501234567');
    expect(d.modelCalls).toBe(1);
  });

  it('keeps the retrieval order when the model fails or names articles it was not given', async () => {
    const plain = await ask(bot({}), QUESTION, 'en');
    for (const failure of [
      () => new HttpResponse(null, { status: 503 }),
      () => completion(JSON.stringify({ order: ['A9', 'A1'] })),
      () => completion('{"order": "A1"}'),
    ]) {
      reply = failure;
      calls = [];
      const d = await ask(bot({ LLM_RERANK: 'true' }), QUESTION, 'en');
      expect(calls).toHaveLength(1);
      expect(d.assists).toBeUndefined();
      expect(d.retrieval!.articles.map((a) => a.articleId)).toEqual(plain.retrieval!.articles.map((a) => a.articleId));
      expect(d.kind).toBe(plain.kind);
    }
  });

  it('reads the model order strictly', () => {
    expect(orderOf(['A3', '[A1]', 'a3'], 3)).toEqual([2, 0]);
    expect(orderOf(['A0'], 3)).toBeUndefined();
    expect(orderOf(['doc-1'], 3)).toBeUndefined();
  });
});

describe('switches', () => {
  it('are refused without a model, each named', () => {
    for (const key of ['LLM_PARAPHRASES', 'LLM_FOLLOW_UP_REWRITE', 'LLM_RERANK', 'CROSS_LINGUAL_RETRIEVAL']) {
      expect(() => testConfig({ [key]: 'true' })).toThrow(new RegExp(`${key}: needs a model`));
    }
    expect(() => testConfig({ ...MODEL, CROSS_LINGUAL_RETRIEVAL: 'true' })).toThrow(/multilingual embedding model/);
  });

  it('are off by default: a model alone adds no assist', () => {
    const config = testConfig(MODEL);
    expect(modelAssists(createLlmClient(config), config, silentLog)).toEqual({});
  });
});
