/**
 * Streamed answers and cancelled model calls, against msw standing in for the OpenAI
 * chat-completions endpoint (streamed replies as server-sent events). Any other request fails
 * the test (onUnhandledRequest: 'error').
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AnswerInput, ModelUnavailableError } from '../../src/bot/answerer.js';
import { llmAnswerer } from '../../src/bot/llm.js';
import { localAnswerer } from '../../src/bot/local.js';
import { jsonStringField } from '../../src/bot/partial-json.js';
import type { Retrieval } from '../../src/knowledge/retrieve.js';
import { createLogger } from '../../src/platform/log.js';
import { llmSentimentScorer } from '../../src/understanding/sentiment/llm.js';
import { localSentimentScorer } from '../../src/understanding/sentiment/local.js';
import { completion } from '../helpers/openai.js';

const CHAT_URL = 'https://api.openai.com/v1/chat/completions';
const log = createLogger('silent');

const PASSAGE = 'يصل المبلغ المسترد إلى بطاقتك خلال 5 إلى 14 يوم عمل بعد استلامنا المنتج.';
const retrieval: Retrieval = {
  query: 'متى يرجع لي المبلغ؟',
  lang: 'ar',
  queryTerms: ['يرجع', 'المبلغ'],
  unknownTerms: [],
  articles: [
    {
      articleId: 'refund-timeline-ar',
      title: 'مدة استرداد المبلغ',
      lang: 'ar',
      team: null,
      tags: [],
      score: 0.9,
      similarity: 0.8,
      coverage: 1,
      intent: 0.9,
      passages: [{ chunkId: 7, kind: 'passage', content: PASSAGE, similarity: 0.8 }],
    },
  ],
};
const input: AnswerInput = { question: 'متى يرجع لي المبلغ؟', lang: 'ar', retrieval };

// The answer as the model writes it, with both kinds of escape: ا as \u0627 and "خلال" in quotes.
// Two sentences: drafts are shown a whole sentence at a time.
const ANSWER = 'يصل المبلغ. "خلال" 5 إلى 14 يوم عمل.';
const REPLY = '{"answer": "يصل \\u0627لمبلغ. \\"خلال\\" 5 إلى 14 يوم عمل.", "citations": ["P1"], "answerable": true}';
// Cut inside the key, inside \u0627, between \ and ", and inside the value's plain text.
const CUTS = [
  '{"ans',
  'wer": "يصل \\u06',
  '27لمبلغ. \\',
  '"خلال\\',
  '" 5 إلى 14 يو',
  'م عمل.", "citations": ["P',
  '1"], "answerable": true}',
];

interface ChatBody {
  stream?: boolean;
  messages: { role: string; content: string }[];
}
type Reply = (body: ChatBody, nth: number) => Response | Promise<Response>;

let bodies: ChatBody[] = [];
let reply: Reply = () => HttpResponse.json({ error: { message: 'no reply set' } }, { status: 400 });

const server = setupServer(
  http.post(CHAT_URL, async ({ request }) => {
    const body = (await request.json()) as ChatBody;
    bodies.push(body);
    return reply(body, bodies.length);
  }),
);

/** Server-sent chunks carrying `parts` as content deltas; `finish: false` leaves the stream open forever. */
function sse(parts: string[], { finish = true } = {}) {
  const enc = new TextEncoder();
  const event = (delta: object, finishReason: string | null = null) =>
    enc.encode(
      `data: ${JSON.stringify({
        id: 'chatcmpl-test',
        object: 'chat.completion.chunk',
        created: 0,
        model: 'gpt-test',
        choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
      })}\n\n`,
    );
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(event({ role: 'assistant', content: '' }));
      for (const part of parts) c.enqueue(event({ content: part }));
      if (!finish) return;
      c.enqueue(event({}, 'stop'));
      c.enqueue(enc.encode('data: [DONE]\n\n'));
      c.close();
    },
  });
  return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
}

let client: OpenAI;
const answerer = () => llmAnswerer(client, { model: 'gpt-test', log });

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  client = new OpenAI({ apiKey: 'test', maxRetries: 0, fetch: (u, i) => globalThis.fetch(u, i) });
});
afterEach(() => {
  bodies = [];
  server.resetHandlers();
});
afterAll(() => server.close());

function expectGrowingPrefixes(drafts: string[], final: string) {
  expect(drafts.length).toBeGreaterThan(1);
  drafts.forEach((d, i) => {
    expect(final.startsWith(d)).toBe(true);
    if (i > 0) expect(d.length).toBeGreaterThan(drafts[i - 1]!.length);
  });
  expect(drafts.at(-1)).toBe(final);
}

describe('the partial-JSON extractor', () => {
  it('decodes the answer as it arrives, whatever the cuts', () => {
    const whole = (JSON.parse(REPLY) as { answer: string }).answer;
    expect(whole).toBe(ANSWER);
    for (let cut = 0; cut <= REPLY.length; cut++) {
      const feed = jsonStringField('answer');
      const first = feed(REPLY.slice(0, cut));
      expect(whole.startsWith(first)).toBe(true);
      expect(feed(REPLY.slice(cut))).toBe(whole);
    }
    const feed = jsonStringField('answer');
    const drafts = [...REPLY].map((ch) => feed(ch));
    drafts.forEach((d) => void expect(whole.startsWith(d)).toBe(true));
    expect(drafts.at(-1)).toBe(whole);
  });

  it('never shows half an escape or half a surrogate pair', () => {
    const feed = jsonStringField('answer');
    expect(feed('{"answer": "a\\')).toBe('a');
    expect(feed('u06')).toBe('a');
    expect(feed('27\\ud83d')).toBe('aا');
    expect(feed('\\ude0')).toBe('aا');
    expect(feed('0!"')).toBe('aا😀!');
  });

  it('reads only the top-level "answer" key, wherever it is', () => {
    const json = JSON.stringify({
      citations: ['answer', 'P1'],
      nested: { answer: 'no' },
      'an"swer': 'no',
      answer: 'نعم، خلال \\ 5 أيام',
      answerable: true,
    });
    const feed = jsonStringField('answer');
    let last = '';
    for (const ch of json) last = feed(ch);
    expect(last).toBe('نعم، خلال \\ 5 أيام');
    expect(jsonStringField('answer')('{"answerable": false, "answer": ""}')).toBe('');
  });
});

describe('streamed LLM answers', () => {
  it('shows growing drafts and returns what the unstreamed call returns for the same reply', async () => {
    reply = (body) => (body.stream ? sse(CUTS) : completion(REPLY));
    expect(CUTS.join('')).toBe(REPLY);

    const drafts: string[] = [];
    const streamed = await answerer().answer(input, { onText: (soFar) => drafts.push(soFar) });
    const plain = await answerer().answer(input);

    expect(bodies.map((b) => b.stream ?? false)).toEqual([true, false]);
    expect(plain.answered).toBe(true);
    expect(plain.text).toBe(ANSWER);
    expect(streamed).toEqual(plain);
    expectGrowingPrefixes(drafts, streamed.text);
  });

  it('validates the streamed reply as before: answerable false is no answer, a repair turn can follow', async () => {
    const notAnswerable = '{"answer": "ربما", "citations": [], "answerable": false}';
    reply = () => sse([notAnswerable.slice(0, 20), notAnswerable.slice(20)]);
    const drafts: string[] = [];
    const none = await answerer().answer(input, { onText: (t) => drafts.push(t) });
    expect(none).toMatchObject({ answered: false, failure: 'not_answerable', text: '', modelCalls: 1 });
    // A draft is shown a whole sentence at a time; this reply has none.
    expect(drafts).toEqual([]);

    bodies = [];
    reply = (_body, nth) => (nth === 1 ? sse(['{"answer": "نص', ' ناقص', '"']) : sse(CUTS));
    const repaired: string[] = [];
    const answer = await answerer().answer(input, { onText: (t) => repaired.push(t) });
    expect(answer).toMatchObject({ answered: true, text: ANSWER, modelCalls: 2 });
    expect(bodies).toHaveLength(2);
    expect(bodies[1]!.messages.some((m) => m.role === 'assistant' && m.content === '{"answer": "نص ناقص"')).toBe(true);
    expect(repaired.at(-1)).toBe(ANSWER);
  });

  it('an error thrown by onText is the caller’s, not "model unavailable"', async () => {
    reply = () => sse(CUTS);
    const bug = new Error('render failed');
    const thrown = await answerer()
      .answer(input, {
        onText: () => {
          throw bug;
        },
      })
      .catch((e: unknown) => e);
    expect(thrown).toBe(bug);
  });
});

describe('cancelled model calls', () => {
  it('a stream that never finishes is cut off by the signal: ModelUnavailableError with the abort as cause', async () => {
    // Drafts are shown a whole sentence at a time: the first sentence arrives, then nothing more.
    reply = () => sse(['{"answer": "يصل المبلغ. ', 'خلال'], { finish: false });
    const controller = new AbortController();
    const drafts: string[] = [];
    const error = await answerer()
      .answer(input, {
        signal: controller.signal,
        onText: (t) => {
          drafts.push(t);
          controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect((error as ModelUnavailableError).cause).toBe(controller.signal.reason);
    expect(drafts).toEqual(['يصل المبلغ.']);
  });

  it('an unstreamed call waiting for the model is aborted too, and a spent signal sends nothing', async () => {
    const controller = new AbortController();
    reply = () => {
      controller.abort();
      return new Promise<Response>(() => {});
    };
    const error = await answerer()
      .answer(input, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect((error as ModelUnavailableError).cause).toBe(controller.signal.reason);

    bodies = [];
    const again = await answerer()
      .answer(input, { signal: controller.signal, onText: () => {} })
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ModelUnavailableError);
    expect(bodies).toHaveLength(0);
  });

  it('the LLM sentiment scorer falls back to the local scorer when aborted', async () => {
    const controller = new AbortController();
    reply = () => {
      controller.abort();
      return new Promise<Response>(() => {});
    };
    const local = localSentimentScorer();
    const scorer = llmSentimentScorer(client, 'gpt-test', local, log);
    const text = 'الطلب ما وصل وما أحد يرد!!';
    const score = await scorer.score(text, 'ar', { signal: controller.signal });
    expect(score).toEqual(await local.score(text, 'ar'));
    expect(bodies).toHaveLength(1);
  });
});

describe('the local answerer', () => {
  it('calls onText once with its whole answer, and not at all when it has none', async () => {
    const drafts: string[] = [];
    const answer = await localAnswerer().answer(input, { onText: (t) => drafts.push(t) });
    expect(answer.answered).toBe(true);
    expect(drafts).toEqual([answer.text]);
    expect(answer).toEqual(await localAnswerer().answer(input));

    const none = await localAnswerer().answer(
      { ...input, retrieval: { ...retrieval, articles: [] } },
      { onText: (t) => drafts.push(t) },
    );
    expect(none.answered).toBe(false);
    expect(drafts).toHaveLength(1);
  });
});
