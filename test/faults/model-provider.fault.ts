/**
 * The model provider fails for a period, in each way it does: 500s, 429s, and hanging past the
 * timeout. Customers write all along; each message must be answered (the local answerer stands in)
 * or handed off, never left without a reply and never an error: unanswered 0. Recovery: once
 * the provider is back, how long until an answer comes from the model again.
 */
import { randomUUID } from 'node:crypto';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completion } from '../helpers/openai.js';
import { eventually, faultService, report } from './deps.js';
import { type PrivatePostgres, type PrivateRedis, privatePostgres, privateRedis } from './services.js';

const BASE = 'http://provider.test/v1';
type Mode = 'ok' | '500' | '429' | 'hang';
let mode: Mode = 'ok';

function streamed(content: string): Response {
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'gpt-test', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return new HttpResponse(
    [chunk({ role: 'assistant', content }, null), chunk({}, 'stop'), 'data: [DONE]\n\n'].join(''),
    {
      headers: { 'content-type': 'text/event-stream' },
    },
  );
}

const msw = setupServer(
  http.post(`${BASE}/chat/completions`, async ({ request }) => {
    const body = (await request.json()) as { stream?: boolean; messages: { role: string; content: string }[] };
    if (mode === '500') return new HttpResponse(null, { status: 500, headers: { 'retry-after-ms': '5' } });
    if (mode === '429') return new HttpResponse(null, { status: 429, headers: { 'retry-after-ms': '5' } });
    if (mode === 'hang') await delay('infinite');
    const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
    if (system.startsWith('Rate the sentiment')) return completion('{"score": 0}');
    // A working model says what its first passage says (a sentence of it): answers are sent only
    // when grounded in the passages they cite, so a made-up figure would never count as recovered.
    const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
    const first = /^\[P1\] \(.*\)\n([\s\S]*?)(?=\n\n\[P\d+\] |$)/m.exec(user)?.[1] ?? '';
    const sentence =
      first
        .replace(/^#+\s*/gm, '')
        .trim()
        .split(/(?<=[.!?؟])\s/)[0] ?? '';
    const answer = JSON.stringify({ answer: sentence, citations: ['P1'], answerable: sentence !== '' });
    return body.stream ? streamed(answer) : completion(answer);
  }),
);

let pg: PrivatePostgres | undefined;
let redis: PrivateRedis | undefined;
let deps: Awaited<ReturnType<typeof faultService>> | undefined;

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: 'error' });
  pg = await privatePostgres();
  redis = await privateRedis();
  deps = await faultService(pg.url, redis.url, {
    OPENAI_BASE_URL: BASE,
    OPENAI_API_KEY: 'sk-test',
    EMBEDDER: 'local',
    CHAT_MODEL: 'gpt-test',
    LLM_MAX_RETRIES: '1',
    LLM_TIMEOUT_MS: '1500',
    TURN_DEADLINE_MS: '4000',
  });
  const imported = await deps.service.kb.importFolder('knowledge-base');
  expect(imported.failed).toEqual([]);
});

afterAll(async () => {
  mode = 'ok';
  try {
    await deps?.close();
  } finally {
    await redis?.stop();
    await pg?.remove();
    msw.close();
  }
});

const QUESTIONS = [
  'how long does a refund take?',
  'متى يرجع لي المبلغ اذا رجعت الطلب؟',
  'How long does delivery to Jeddah take?',
];

describe('faults: the model provider failing', () => {
  it('every message is answered or handed off while it fails, and the model answers again once it is back', async () => {
    const inbox = (deps as NonNullable<typeof deps>).service.inbox;
    const outcomes: Record<
      string,
      { turns: number; answered: number; handedOff: number; unanswered: number; llm: number }
    > = {};
    let errors = 0;
    for (const phase of ['ok', '500', '429', 'hang'] as Mode[]) {
      mode = phase;
      const o = { turns: 0, answered: 0, handedOff: 0, unanswered: 0, llm: 0 };
      for (let i = 0; i < 6; i++) {
        const conversation = await inbox.open({ channel: 'api', externalId: randomUUID() });
        try {
          const outcome = await inbox.receive({
            conversationId: conversation.id,
            text: QUESTIONS[i % QUESTIONS.length] as string,
          });
          o.turns++;
          if (outcome.handoff) o.handedOff++;
          else if (outcome.reply) o.answered++;
          else o.unanswered++;
          if (outcome.decision?.answer?.answerer === 'llm') o.llm++;
        } catch {
          errors++;
        }
      }
      outcomes[phase] = o;
    }
    mode = 'ok';
    const back = Date.now();
    await eventually(
      async () => {
        const conversation = await inbox.open({ channel: 'api', externalId: randomUUID() });
        const outcome = await inbox.receive({ conversationId: conversation.id, text: QUESTIONS[0] as string });
        return outcome.decision?.answer?.answerer === 'llm';
      },
      'an answer from the model again',
      60_000,
    );
    const recovery = (Date.now() - back) / 1000;
    const failing = ['500', '429', 'hang'].map((p) => outcomes[p] as (typeof outcomes)[string]);
    const figures = {
      turns: Object.values(outcomes).reduce((n, o) => n + o.turns, 0),
      'answered while failing': failing.reduce((n, o) => n + o.answered, 0),
      'handed off while failing': failing.reduce((n, o) => n + o.handedOff, 0),
      unanswered: Object.values(outcomes).reduce((n, o) => n + o.unanswered, 0),
      errors,
      'recovery s': recovery.toFixed(1),
    };
    report('model provider 500/429/hang', figures);
    expect(errors).toBe(0);
    expect(figures.unanswered).toBe(0);
    expect(outcomes.ok?.llm).toBeGreaterThan(0);
  });
});
