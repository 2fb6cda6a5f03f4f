/**
 * The bot with a model configured (OPENAI_API_KEY), against msw standing in for the OpenAI
 * chat-completions endpoint. The knowledge base stays on the local embedder (EMBEDDER=local),
 * so the only calls that leave the process are sentiment and answer calls, and any other
 * request fails the test (onUnhandledRequest: 'error').
 */
import { readFileSync } from 'node:fs';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handoffNotice } from '../../src/bot/policy.js';
import { createLogger } from '../../src/platform/log.js';
import { trainedSentimentScorer } from '../../src/understanding/sentiment/trained.js';
import { testDeps } from '../helpers/backends.js';
import { completion } from '../helpers/openai.js';
import { inboxWith, type TurnResult, turn } from '../helpers/turns.js';

const CHAT_URL = 'https://api.openai.com/v1/chat/completions';
const BASE_CONFIG = {
  OPENAI_API_KEY: 'test',
  EMBEDDER: 'local',
  CHAT_MODEL: 'gpt-test',
  LLM_MAX_RETRIES: '1',
  LLM_TIMEOUT_MS: '5000',
};

// A clear, in-scope question (the local answerer is confident on it) and an out-of-scope one.
const REFUND_EN = 'how long does a refund take?';
const REFUND_AR = 'متى يرجع لي المبلغ اذا رجعت الطلب؟';
const WEATHER = "what's the weather in Riyadh";

/** First line of each answer prompt's system part: how the mock tells answer calls apart. */
const ANSWER_PROMPT_HEADS = ['en', 'ar'].map(
  (lang) => readFileSync(`prompts/answer/v1.${lang}.md`, 'utf8').split('\n')[0]!,
);

interface ChatBody {
  model: string;
  temperature?: number;
  response_format?: { type: string };
  messages: { role: string; content: string }[];
}
interface Call {
  kind: 'sentiment' | 'answer';
  raw: string;
  body: ChatBody;
  /** Passage id → title, as the answer prompt listed them. */
  passages: Map<string, string>;
}
type Reply = (call: Call, nth: number) => Response | Promise<Response>;

let calls: Call[] = [];
let onAnswer: Reply;
let onSentiment: Reply;

const answerJson = (answer: string, citations: string[], answerable = true) =>
  completion(JSON.stringify({ answer, citations, answerable }));
/**
 * An error response without a body: before retrying, the SDK cancels the failed response's
 * body, and cancelling an msw-mocked body never settles (the retry would hang). retry-after-ms
 * keeps the SDK's backoff short.
 */
const apiError = (status: number) => new HttpResponse(null, { status, headers: { 'retry-after-ms': '5' } });

const server = setupServer(
  http.post(CHAT_URL, async ({ request }) => {
    const raw = await request.text();
    const body = JSON.parse(raw) as ChatBody;
    const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
    let kind: Call['kind'];
    if (system.startsWith('Rate the sentiment')) kind = 'sentiment';
    else if (ANSWER_PROMPT_HEADS.some((head) => system.startsWith(head))) kind = 'answer';
    else return HttpResponse.json({ error: { message: 'unexpected prompt' } }, { status: 400 });
    const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
    const passages = new Map([...user.matchAll(/^\[(P\d+)\] \((.*)\)$/gm)].map((m) => [m[1]!, m[2]!]));
    const call: Call = { kind, raw, body, passages };
    calls.push(call);
    const nth = calls.filter((c) => c.kind === kind).length;
    const reply = await (kind === 'sentiment' ? onSentiment(call, nth) : onAnswer(call, nth));
    return (body as ChatBody & { stream?: boolean }).stream ? asStream(reply) : reply;
  }),
);

/**
 * The turn asks for a streamed answer (the live feed shows it as it is produced): the same
 * completion, sent as chat.completion.chunk events split mid-word, as OpenAI streams.
 */
async function asStream(reply: Response): Promise<Response> {
  if (reply.status !== 200) return reply;
  const json = (await reply.json()) as { choices: { message: { content: string } }[] };
  const content = json.choices[0]?.message.content ?? '';
  const pieces = content.match(/[\s\S]{1,7}/g) ?? [];
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 0, model: 'gpt-test', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const body = [
    chunk({ role: 'assistant', content: '' }, null),
    ...pieces.map((p) => chunk({ content: p }, null)),
    chunk({}, 'stop'),
    'data: [DONE]\n\n',
  ].join('');
  return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
}

let deps: Awaited<ReturnType<typeof testDeps>>;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  deps = await testDeps({ config: BASE_CONFIG });
  const imported = await deps.kb.importFolder('knowledge-base');
  expect(imported.failed).toEqual([]);
});
afterAll(async () => {
  server.close();
  await deps?.close();
});
beforeEach(() => {
  calls = [];
  onSentiment = () => completion('{"score": 0}');
  onAnswer = () => {
    throw new Error('this test did not expect an answer call');
  };
});
afterEach(() => server.resetHandlers());

const answerCalls = () => calls.filter((c) => c.kind === 'answer');

function bot(config: Record<string, string> = {}, log = deps.log) {
  return inboxWith(deps, { ...BASE_CONFIG, ...config }, log);
}

async function conversation(id: string) {
  const [row] = await deps.db.query<{ status: string; model_calls: number }>(
    'SELECT status, model_calls FROM conversations WHERE id = $1',
    [id],
  );
  return row!;
}

async function storedReply(id: string) {
  const [row] = await deps.db.query<{ content: string; confidence: number; meta: Record<string, unknown> }>(
    'SELECT content, confidence, meta FROM messages WHERE id = $1',
    [id],
  );
  return row!;
}

function expectHandoff(t: TurnResult, reason: string, lang: 'ar' | 'en' = 'en') {
  expect(t.handoff?.reason).toBe(reason);
  expect(t.reply?.content).toBe(handoffNotice(lang));
}

describe('grounded answers', () => {
  it('sends the passages and the question, and replies with the model answer citing the passages it named', async () => {
    const said = 'A refund is issued once a returned item passes inspection, within 3 business days of reaching us.';
    onAnswer = (call) => {
      expect(call.passages.size).toBeGreaterThanOrEqual(2);
      return answerJson(said, ['P1', '[P2]']);
    };
    const t = await turn(bot(), REFUND_EN);
    expect(t.handoff).toBeUndefined();
    expect(t.reply?.content).toBe(said);

    const [call] = answerCalls();
    expect(answerCalls()).toHaveLength(1);
    expect(calls.filter((c) => c.kind === 'sentiment')).toHaveLength(1);
    expect(call!.body.model).toBe('gpt-test');
    expect(call!.body.response_format).toEqual({ type: 'json_object' });
    expect(call!.body.messages[0]!.content.startsWith(ANSWER_PROMPT_HEADS[0]!)).toBe(true);
    expect(call!.body.messages.at(-1)!.content).toContain(REFUND_EN);
    // Citations are the passages the model named, mapped back to their articles.
    const titles = ['P1', 'P2'].map((id) => call!.passages.get(id));
    expect(t.reply!.citations.map((c) => c.title)).toEqual(titles);
    expect(t.reply!.citations[0]!.articleId).toBe('refund-timeline-en');

    const stored = await storedReply(t.reply!.id);
    expect(stored.meta.answerer).toBe('llm');
    expect(Number(stored.confidence)).toBeGreaterThanOrEqual(0);
    expect(Number(stored.confidence)).toBeLessThanOrEqual(1);
    expect(Number(stored.confidence)).toBeGreaterThanOrEqual(t.answer!.confidence - 1e-6);
    // One sentiment call and one answer call, both counted against the conversation's budget.
    expect((await conversation(t.message.conversation_id)).model_calls).toBe(2);
  });

  it('answers an Arabic question with the Arabic prompt', async () => {
    const said = 'يُرد مبلغ الطلبات المدفوعة نقدًا إلى محفظة سوق نخيل، ويمكنك استخدامه في أي طلب.';
    onAnswer = () => answerJson(said, ['P1']);
    const t = await turn(bot(), REFUND_AR);
    expect(t.reply?.content).toBe(said);
    expect(t.reply?.lang).toBe('ar');
    expect(answerCalls()[0]!.body.messages[0]!.content.startsWith(ANSWER_PROMPT_HEADS[1]!)).toBe(true);
    expect(t.reply!.citations[0]!.articleId).toBe('refund-timeline-ar');
  });

  it('uses the model sentiment: a calm question the model rates furious goes to a person', async () => {
    onSentiment = () => completion('{"score": -0.95}');
    const t = await turn(bot(), REFUND_EN);
    expectHandoff(t, 'negative_sentiment');
    expect(t.sentiment?.score).toBe(-0.95);
    expect(answerCalls()).toHaveLength(0);
  });
});

describe('never a made-up answer', () => {
  it('a citation of a passage it was not given (P99) is no answer: hand-off low_confidence', async () => {
    onAnswer = () => answerJson('Refunds take 2 hours.', ['P99']);
    const t = await turn(bot(), REFUND_EN);
    expectHandoff(t, 'low_confidence');
    expect(t.answer?.answered).toBe(false);
    expect(t.handoff?.confidence).toBe(0);
    expect(answerCalls()).toHaveLength(1);
  });

  it('one invented citation among real ones, or no citation at all, is no answer either', async () => {
    onAnswer = () => answerJson('A refund is issued once your cancellation is confirmed.', ['P1', 'P99']);
    expectHandoff(await turn(bot(), REFUND_EN), 'low_confidence');
    onAnswer = () => answerJson('A refund is issued once your cancellation is confirmed.', []);
    expectHandoff(await turn(bot(), REFUND_EN), 'low_confidence');
  });

  it('"answerable": false hands off rather than falling back to a quote', async () => {
    onAnswer = () => answerJson('', [], false);
    const t = await turn(bot(), REFUND_EN);
    expectHandoff(t, 'low_confidence');
    expect(t.answer?.answerer).toBe('llm');
  });

  it('malformed JSON, then valid JSON on the repair turn: answered after exactly 2 answer calls', async () => {
    onAnswer = (_call, nth) =>
      nth === 1
        ? completion('Sure! Refunds take 5-14 days {oops')
        : answerJson('A refund is issued once your cancellation is confirmed.', ['P1']);
    const t = await turn(bot(), REFUND_EN);
    expect(t.handoff).toBeUndefined();
    expect(t.reply?.content).toBe('A refund is issued once your cancellation is confirmed.');
    expect(answerCalls()).toHaveLength(2);
    // The repair turn shows the model its invalid reply and asks again.
    const repair = answerCalls()[1]!.body.messages;
    expect(repair.some((m) => m.role === 'assistant' && m.content.includes('{oops'))).toBe(true);
    expect(repair.at(-1)!.role).toBe('user');
    expect((await conversation(t.message.conversation_id)).model_calls).toBe(3);
  });

  it('JSON of the wrong shape counts as malformed too', async () => {
    onAnswer = (_call, nth) =>
      nth === 1
        ? completion('{"text": "A refund is issued once your cancellation is confirmed."}')
        : answerJson('A refund is issued once your cancellation is confirmed.', ['P1']);
    const t = await turn(bot(), REFUND_EN);
    expect(t.reply?.content).toBe('A refund is issued once your cancellation is confirmed.');
    expect(answerCalls()).toHaveLength(2);
  });

  it('malformed twice: no answer, no third call', async () => {
    onAnswer = () => completion('I think refunds take about a week.');
    const t = await turn(bot(), REFUND_EN);
    expectHandoff(t, 'low_confidence');
    expect(t.answer?.failure).toBe('invalid_output');
    expect(answerCalls()).toHaveLength(2);
  });
});

describe('when the model is slow or down', () => {
  it('a 429 is retried by the client and then answered', async () => {
    onAnswer = (_call, nth) =>
      nth === 1 ? apiError(429) : answerJson('A refund is issued once your cancellation is confirmed.', ['P1']);
    const t = await turn(bot({ LLM_MAX_RETRIES: '2' }), REFUND_EN);
    expect(t.reply?.content).toBe('A refund is issued once your cancellation is confirmed.');
    expect(answerCalls()).toHaveLength(2);
  });

  it('a timeout falls back to the local answer when it is confident, else hands off model_unavailable', async () => {
    onAnswer = async () => {
      await delay(2_000);
      return answerJson('too late', ['P1']);
    };
    const slow = bot({ LLM_TIMEOUT_MS: '150', LLM_MAX_RETRIES: '0' });
    const started = Date.now();
    const answered = await turn(slow, REFUND_EN);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(answered.handoff).toBeUndefined();
    expect(answered.answer?.answerer).toBe('local');
    expect(answered.reply?.citations[0]?.articleId).toBe('refund-timeline-en');
    expect((await storedReply(answered.reply!.id)).meta.answerer).toBe('local');

    const unsure = await turn(slow, WEATHER);
    expectHandoff(unsure, 'model_unavailable');
    expect(unsure.handoff?.confidence).toBeLessThan(deps.config.ANSWER_THRESHOLD);
    expect((await conversation(unsure.message.conversation_id)).status).toBe('waiting_human');
  });

  it('5xx on every call: bounded retries, local sentiment and local answer, or model_unavailable', async () => {
    onAnswer = () => apiError(503);
    onSentiment = () => apiError(500);
    const down = bot({ LLM_MAX_RETRIES: '2' });
    const t = await turn(down, REFUND_AR);
    expect(t.answer?.answerer).toBe('local');
    expect(t.reply?.lang).toBe('ar');
    expect(t.reply?.citations[0]?.articleId).toBe('refund-timeline-ar');
    // 1 try + 2 retries, no more.
    expect(answerCalls()).toHaveLength(3);
    expect(calls.filter((c) => c.kind === 'sentiment')).toHaveLength(3);
    // Sentiment fell back to the local scorer.
    expect(t.sentiment).toEqual(await trainedSentimentScorer().score(REFUND_AR, 'ar'));

    calls = [];
    const oos = await turn(down, WEATHER);
    expectHandoff(oos, 'model_unavailable');
    expect(answerCalls()).toHaveLength(3);
  });

  it('a rejected request (400) is not retried and counts as model unavailable', async () => {
    onAnswer = () => apiError(400);
    const t = await turn(bot({ LLM_MAX_RETRIES: '2' }), WEATHER);
    expectHandoff(t, 'model_unavailable');
    expect(answerCalls()).toHaveLength(1);
  });

  it('LLM_MAX_CALLS_PER_CONVERSATION=2 (sentiment + answer): the second message makes no model call', async () => {
    onAnswer = () => answerJson('A refund is issued once your cancellation is confirmed.', ['P1']);
    const capped = bot({ LLM_MAX_CALLS_PER_CONVERSATION: '2' });
    const first = await turn(capped, REFUND_EN);
    expect(first.answer?.answerer).toBe('llm');
    expect(answerCalls()).toHaveLength(1);
    const id = first.message.conversation_id;

    const second = await turn(capped, 'what payment methods do you accept?', id);
    expect(answerCalls()).toHaveLength(1);
    expect(second.answer?.answerer).toBe('local');
    expect(second.reply?.citations[0]?.articleId).toBe('payment-methods-en');
    const third = await turn(capped, WEATHER, id);
    expectHandoff(third, 'model_unavailable');
    expect(answerCalls()).toHaveLength(1);
    expect((await conversation(id)).model_calls).toBe(2);
  });
});

describe('personal data never reaches the model or the logs', () => {
  const PHONE = '0551234567';
  const EMAIL = 'ahmed.salem@example.com';
  const CARD = '4111 1111 1111 1111';
  const SECRETS = [PHONE, '551234567', EMAIL, CARD, CARD.replaceAll(' ', ''), '٠٥٥١٢٣٤٥٦٧'];

  function expectClean(text: string) {
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  }

  it('redacts phone, e-mail and card before the sentiment and answer calls', async () => {
    onAnswer = () => answerJson('A refund is issued once your cancellation is confirmed.', ['P1']);
    const text = `how long does a refund take? I paid with card ${CARD}, reach me on ${PHONE} or ${EMAIL}`;
    const t = await turn(bot(), text);
    expect(t.reply?.content).toBe('A refund is issued once your cancellation is confirmed.');
    expect(calls.map((c) => c.kind).sort()).toEqual(['answer', 'sentiment']);
    for (const call of calls) {
      expectClean(call.raw);
      const user = call.body.messages.find((m) => m.role === 'user')!.content;
      for (const placeholder of ['[PHONE]', '[EMAIL]', '[CARD]']) expect(user).toContain(placeholder);
    }
    // The customer's own message is stored as written (agents need it); the hand-off log is not.
    expect(t.message.content).toBe(text);
  });

  it('redacts Arabic-Indic digits too', async () => {
    onAnswer = () => answerJson('يصدر الاسترداد فور تأكيد الإلغاء.', ['P1']);
    await turn(bot(), `متى يرجع لي المبلغ؟ جوالي ٠٥٥١٢٣٤٥٦٧ وايميلي ${EMAIL}`);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expectClean(call.raw);
      expect(call.raw).toContain('[PHONE]');
    }
  });

  it('keeps PII out of the log lines a failing model turn writes', async () => {
    const lines: string[] = [];
    const log = createLogger('debug', { write: (line: string) => void lines.push(line) });
    onAnswer = () => apiError(500);
    onSentiment = () => apiError(500);
    const text = `${WEATHER}? ${CARD} / ${PHONE} / ${EMAIL}`;
    const t = await turn(bot({ LLM_MAX_RETRIES: '0' }, log), text);
    expectHandoff(t, 'model_unavailable');
    const output = lines.join('');
    expect(output).toContain('model unavailable');
    expect(output).toContain('handed off');
    expectClean(output);
    for (const call of calls) expectClean(call.raw);
    const [row] = await deps.db.query<{ question: string }>('SELECT question FROM handoffs WHERE id = $1', [
      t.handoff!.id,
    ]);
    expectClean(row!.question);
    expect(row!.question).toContain('[CARD]');
  });
});
