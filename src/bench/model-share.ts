import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { percentile } from '../eval/cases.js';
import { round, since } from './stats.js';

/**
 * An OpenAI-compatible chat endpoint on loopback that takes a fixed time per call: the first
 * streamed token after `firstTokenMs`, the whole reply at `totalMs`. It answers from the first
 * passage it was given, citing it, so the bot's answer path runs whole. It records when each
 * call's first token left, so the client's receipt of it can be compared.
 */
export async function modelStub(options: { totalMs: number; firstTokenMs: number }) {
  const calls: { started: number; firstToken?: number; ended?: number }[] = [];
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => {
      raw += d;
    });
    req.on('end', () => {
      void (async () => {
        const call: (typeof calls)[number] = { started: performance.now() };
        calls.push(call);
        const body = JSON.parse(raw || '{}') as { stream?: boolean; messages?: { content: string }[] };
        const text = (body.messages ?? []).map((m) => m.content).join('\n');
        const cite = /\[(P\d+)\]/.exec(text)?.[1];
        const reply = JSON.stringify(
          cite
            ? { answer: 'Here is what our help centre says about this.', citations: [cite], answerable: true }
            : { answer: '', citations: [], answerable: false },
        );
        if (!body.stream) {
          await wait(options.totalMs);
          call.ended = performance.now();
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(completion(reply));
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        await wait(options.firstTokenMs);
        const pieces = reply.match(/.{1,12}/gs) ?? [reply];
        call.firstToken = performance.now();
        res.write(`data: ${chunk(pieces[0] as string)}\n\n`);
        await wait(options.totalMs - options.firstTokenMs);
        for (const p of pieces.slice(1)) res.write(`data: ${chunk(p)}\n\n`);
        res.write(`data: ${chunk('', 'stop')}\n\n`);
        res.write('data: [DONE]\n\n');
        call.ended = performance.now();
        res.end();
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    calls,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const completion = (content: string) =>
  JSON.stringify({
    id: 'bench',
    object: 'chat.completion',
    created: 0,
    model: 'bench',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  });

const chunk = (content: string, finish: string | null = null) =>
  JSON.stringify({
    id: 'bench',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'bench',
    choices: [{ index: 0, delta: content ? { content } : {}, finish_reason: finish }],
  });

export interface ModelShare {
  model_ms: number;
  turns: number;
  model_calls: number;
  turn_p50_ms: number;
  /** (turn time − time the model took) / turn time, over all turns, one at a time. */
  own_share: number;
  own_p50_ms: number;
  /** The client's receipt of the first `reply.streaming` event after the model's first token left. */
  first_token_p50_ms?: number;
  first_token_p95_ms?: number;
  streamed_turns: number;
}

/**
 * Turns one at a time through the REST API with the model stubbed: each conversation's live
 * feed is followed first, so the first streamed piece of the reply can be timed.
 */
export async function measureModelShare(
  base: string,
  key: string,
  questions: string[],
  stub: Awaited<ReturnType<typeof modelStub>>,
  options: { turns: number; modelMs: number },
): Promise<ModelShare> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const turnMs: number[] = [];
  const ownMs: number[] = [];
  const firstToken: number[] = [];
  let modelTotal = 0;
  let calls = 0;
  for (let i = 0; i < options.turns; i++) {
    const res = await fetch(`${base}/v1/conversations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ contact: { externalId: `bench-model-${i}` } }),
    });
    const { conversation } = (await res.json()) as { conversation: { id: string } };
    const feed = await followFeed(`${base}/v1/conversations/${conversation.id}/feed`, key);
    const before = stub.calls.length;
    const t = performance.now();
    const posted = await fetch(`${base}/v1/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ text: questions[i % questions.length] }),
    });
    await posted.text();
    const total = since(t);
    const mine = stub.calls.slice(before);
    const model = mine.reduce((s, c) => s + ((c.ended ?? c.started) - c.started), 0);
    turnMs.push(total);
    ownMs.push(Math.max(0, total - model));
    modelTotal += model;
    calls += mine.length;
    const sent = mine.find((c) => c.firstToken !== undefined)?.firstToken;
    const received = feed.firstStreamed();
    if (sent !== undefined && received !== undefined) firstToken.push(received - sent);
    feed.close();
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    model_ms: options.modelMs,
    turns: turnMs.length,
    model_calls: calls,
    turn_p50_ms: round(percentile(turnMs, 50)),
    own_share: round(1 - modelTotal / Math.max(1, sum(turnMs)), 3),
    own_p50_ms: round(percentile(ownMs, 50)),
    ...(firstToken.length
      ? {
          first_token_p50_ms: round(percentile(firstToken, 50)),
          first_token_p95_ms: round(percentile(firstToken, 95)),
        }
      : {}),
    streamed_turns: firstToken.length,
  };
}

/** Reads a live feed in the background; resolves once it is `ready`. */
async function followFeed(url: string, key: string) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let first: number | undefined;
  let buffer = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    markReady = r;
  });
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        if (first === undefined && buffer.includes('event: reply.streaming')) first = performance.now();
        if (buffer.includes('event: ready')) markReady();
        if (buffer.length > 100_000) buffer = buffer.slice(-1000);
      }
    } catch {
      // aborted
    }
  })();
  await Promise.race([ready, new Promise((r) => setTimeout(r, 5000))]);
  return {
    firstStreamed: () => first,
    close: () => controller.abort(),
  };
}
