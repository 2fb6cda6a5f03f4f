import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { percentile } from '../eval/cases.js';
import { round, since } from './stats.js';

/**
 * An OpenAI-compatible chat endpoint on loopback that takes a fixed time per call: the first
 * streamed token after `firstTokenMs`, the whole reply at `totalMs`. It answers in the words of
 * the passages it was given (their first two sentences, citing them), as a working model does:
 * answers are sent only when grounded in what they cite, so an answer of its own would be refused
 * and nothing streamed. Its first token carries the whole first sentence: drafts reach the
 * customer a checked sentence at a time, so that is the token a customer can see. It records
 * when each call's first token left, so the client's receipt of it can be compared.
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
        const body = JSON.parse(raw || '{}') as { stream?: boolean; messages?: { role: string; content: string }[] };
        const user = body.messages?.find((m) => m.role === 'user')?.content ?? '';
        const { sentences, cited } = firstSentences(user, 2);
        const answer = sentences.join(' ');
        const reply = JSON.stringify({ answer, citations: cited, answerable: answer !== '' });
        if (!body.stream) {
          await wait(options.totalMs);
          call.ended = performance.now();
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(completion(reply));
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        await wait(options.firstTokenMs);
        // Up to the space after the first sentence: the draft's first whole sentence.
        // (The reply starts with the answer field: `{"answer":"`.)
        const first =
          sentences.length > 1
            ? reply.slice(0, '{"answer":"'.length + JSON.stringify(sentences[0]).length - 2 + 1)
            : reply.slice(0, 12);
        call.firstToken = performance.now();
        res.write(`data: ${chunk(first)}\n\n`);
        await wait(options.totalMs - options.firstTokenMs);
        for (const p of reply.slice(first.length).match(/.{1,12}/gs) ?? []) res.write(`data: ${chunk(p)}\n\n`);
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

/** The first `n` sentences of the passages in a prompt (`[P1] (title)\ntext`), and which passages they came from. */
function firstSentences(prompt: string, n: number): { sentences: string[]; cited: string[] } {
  const sentences: string[] = [];
  const cited: string[] = [];
  for (const m of prompt.matchAll(/^\[(P\d+)\] \(.*\)\n([\s\S]*?)(?=\n\n\[P\d+\] |$(?![\s\S]))/gm)) {
    const text = (m[2] ?? '')
      .replace(/^#+\s*|^\s*[-*]\s+|^\s*\d+[.)]\s+/gm, '')
      .replace(/\s+/g, ' ')
      .trim();
    const found = text.split(/(?<=[.!?؟])\s/).filter((x) => /[.!?؟]$/.test(x));
    if (found.length) cited.push(m[1] as string);
    sentences.push(...found.slice(0, n - sentences.length));
    if (sentences.length >= n) break;
  }
  return { sentences, cited };
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
  options: { turns: number; modelMs: number; warmup?: number },
): Promise<ModelShare> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const turnMs: number[] = [];
  const ownMs: number[] = [];
  const firstToken: number[] = [];
  let modelTotal = 0;
  let calls = 0;
  // The first turns run on code the JIT has not compiled yet (with 5 turns they doubled our
  // share): they are taken but not counted, as the other levels warm up.
  const warmup = options.warmup ?? 3;
  for (let i = 0; i < warmup + options.turns; i++) {
    const counted = i >= warmup;
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
    if (!counted) {
      feed.close();
      continue;
    }
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
