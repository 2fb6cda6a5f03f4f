/**
 * Turns with a model configured (msw stands in for the OpenAI endpoint; any other request
 * fails the test): a hanging model costs the customer the turn's deadline, not minutes, and a
 * streamed answer can be followed on the live bus as it is produced, ending in the stored text.
 */
import { randomUUID } from 'node:crypto';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LiveNote } from '../../src/platform/events/bus.js';
import { testDeps } from '../helpers/backends.js';

const CHAT_URL = 'https://api.openai.com/v1/chat/completions';
// Room for the local answer on a busy machine: PGlite statements now yield to the event loop
// now and then, so the deadline's timers can fire during a turn (before, only after it).
const DEADLINE_MS = 5000;
const REFUND_EN = 'how long does a refund take?';
const WEATHER = "what's the weather in Riyadh";

type Mode = 'hang' | 'stream';
let mode: Mode = 'hang';
let requests = 0;

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'gpt-test', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

const server = setupServer(
  http.post(CHAT_URL, async ({ request }) => {
    requests++;
    const body = (await request.json()) as { stream?: boolean; messages: { role: string; content: string }[] };
    // A model that never answers: only the turn's deadline ends the wait.
    if (mode === 'hang') return new Promise<Response>(() => {});
    const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
    if (system.startsWith('Rate the sentiment')) {
      return HttpResponse.json({
        id: 'c0',
        object: 'chat.completion',
        created: 0,
        model: 'gpt-test',
        choices: [{ index: 0, message: { role: 'assistant', content: '{"score": 0}' }, finish_reason: 'stop' }],
      });
    }
    expect(body.stream).toBe(true);
    const json = JSON.stringify({
      answer:
        'A refund is issued once a returned item passes inspection. That is within **3 business days** of reaching us. From that moment, the time it takes depends on how you paid.',
      citations: ['P1'],
      answerable: true,
    });
    const pieces = json.match(/[\s\S]{1,9}/g) ?? [];
    return new HttpResponse(
      [
        chunk({ role: 'assistant', content: '' }),
        ...pieces.map((p) => chunk({ content: p })),
        chunk({}, 'stop'),
        'data: [DONE]\n\n',
      ].join(''),
      { headers: { 'content-type': 'text/event-stream' } },
    );
  }),
);

let deps: Awaited<ReturnType<typeof testDeps>>;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  deps = await testDeps({
    config: {
      OPENAI_API_KEY: 'test',
      EMBEDDER: 'local',
      CHAT_MODEL: 'gpt-test',
      TURN_DEADLINE_MS: String(DEADLINE_MS),
      // Far beyond the deadline: if the deadline did not cut the call, the test would wait a minute.
      LLM_TIMEOUT_MS: '60000',
      LLM_MAX_RETRIES: '0',
    },
  });
  const imported = await deps.kb.importFolder('knowledge-base');
  expect(imported.failed).toEqual([]);
  // As the service does at start: otherwise the first turn's retrieval reads the database while
  // the index is built beside it, on a busy machine most of the second the deadline leaves.
  await deps.kb.ready();
}, 180_000);
afterEach(() => {
  requests = 0;
});
afterAll(async () => {
  server.close();
  await deps?.close();
});

const open = () => deps.inbox.open({ channel: 'api', externalId: randomUUID() });

describe('a hanging model', () => {
  it('costs the customer the deadline: a confident question is answered locally, an unknown one handed off', async () => {
    mode = 'hang';
    const started = performance.now();
    const answered = await deps.inbox.receive({ conversationId: (await open()).id, text: REFUND_EN });
    const seconds = (performance.now() - started) / 1000;
    expect(requests).toBeGreaterThan(0);
    expect(answered.decision?.kind).toBe('answer');
    expect(answered.decision?.answer?.answerer).toBe('local');
    expect(answered.reply?.content).toMatch(/refund/i);
    // The model was never going to answer: without the deadline this waits LLM_TIMEOUT_MS (60 s).
    expect(seconds).toBeLessThan(30);

    const handedOff = await deps.inbox.receive({ conversationId: (await open()).id, text: WEATHER });
    expect(handedOff.handoff?.reason).toBe('model_unavailable');
    expect(handedOff.reply?.content).toMatch(/customer-service team/);
  });
});

describe('a streamed answer', () => {
  it('is heard on the live bus as it grows, and the stored reply is the final text', async () => {
    mode = 'stream';
    const notes: Extract<LiveNote, { kind: 'stream' }>[] = [];
    const unsubscribe = deps.bus.subscribe((n) => {
      if (n.kind === 'stream') notes.push(n);
    });
    try {
      const { id } = await open();
      const outcome = await deps.inbox.receive({ conversationId: id, text: REFUND_EN });
      expect(outcome.decision?.kind).toBe('answer');
      expect(outcome.decision?.answer?.answerer).toBe('llm');
      const mine = notes.filter((n) => n.conversationId === id && n.replyTo === outcome.message.id);
      expect(mine.length).toBeGreaterThan(2);
      for (const [i, n] of mine.entries()) {
        if (i > 0) expect(n.text.startsWith(mine[i - 1]?.text ?? '')).toBe(true);
      }
      expect(mine.at(-1)?.text).toBe(outcome.reply?.content);
      expect(outcome.reply?.content).toBe(
        'A refund is issued once a returned item passes inspection. That is within **3 business days** of reaching us. From that moment, the time it takes depends on how you paid.',
      );
    } finally {
      unsubscribe();
    }
  });
});
