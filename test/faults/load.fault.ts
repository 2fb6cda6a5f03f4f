/**
 * Bounded loopback load on the two ways customers write in: the widget (REST with a customer
 * token) and the WhatsApp webhook, each at several times the throughput measured first, for
 * FAULTS_LOAD_SECONDS (60 by default), against a real server process (the embedded default).
 * Past the limits the answer is 429 with Retry-After, never a 5xx; admitted requests keep a bounded
 * latency; the server's memory stays flat. Each phase prints its figures.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type Started, startProcess, stopProcess, waitForHttp } from '../helpers/process.js';
import { change, signed, text, WA, webhook } from '../helpers/whatsapp.js';
import { eventually, report } from './deps.js';

const SECONDS = Number(process.env.FAULTS_LOAD_SECONDS ?? 60);
const OVERLOAD = 4;
const LIMITS = { TURN_CONCURRENCY: 4, TURN_QUEUE: 8, TURN_QUEUE_WAIT_MS: 3000, WHATSAPP_BACKLOG_MAX: 40 };
// Admitted requests wait at most TURN_QUEUE_WAIT_MS for a slot, then take a turn; generous for a busy machine.
const ADMITTED_P99_MS = LIMITS.TURN_QUEUE_WAIT_MS + 12_000;
const SITE = 'https://shop.test';

let dir: string;
let server: Started | undefined;
let graph: Server | undefined;
let base = '';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number) : 0;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sanad-load-'));
  // The Graph API's send endpoint, answering every reply at once.
  const graphPort = await freePort();
  graph = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ messaging_product: 'whatsapp', messages: [{ id: `wamid.${Math.random()}` }] }));
    });
  });
  await new Promise<void>((r) => graph?.listen(graphPort, '127.0.0.1', r));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = startProcess({
    ...WA,
    LOAD_SAMPLE_KB: 'true',
    WHATSAPP_GRAPH_URL: `http://127.0.0.1:${graphPort}`,
    WHATSAPP_SENDS_PER_SECOND: '1000',
    WIDGET_ALLOWED_ORIGINS: SITE,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'warn',
    ...Object.fromEntries(Object.entries(LIMITS).map(([k, v]) => [k, String(v)])),
  });
  await waitForHttp(`${base}/livez`, 300_000, server);
  await eventually(async () => (await fetch(`${base}/readyz`)).status === 200, 'ready', 300_000);
});

afterAll(async () => {
  if (server) await stopProcess(server);
  await new Promise((r) => (graph ? graph.close(r) : r(undefined)));
  rmSync(dir, { recursive: true, force: true });
});

interface Session {
  token: string;
  conversationId: string;
  busy: boolean;
}

async function sessions(n: number): Promise<Session[]> {
  const out: Session[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${base}/v1/widget/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE },
      body: JSON.stringify({ locale: 'ar' }),
    });
    expect(res.status).toBe(201);
    const s = (await res.json()) as { token: string; conversationId: string };
    out.push({ ...s, busy: false });
  }
  return out;
}

const QUESTIONS = ['متى يرجع لي المبلغ اذا رجعت الطلب؟', 'How long does delivery to Jeddah take?', 'كم رسوم التوصيل؟'];

function widgetMessage(s: Session, i: number) {
  return fetch(`${base}/v1/conversations/${s.conversationId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SITE, authorization: `Bearer ${s.token}` },
    body: JSON.stringify({ text: QUESTIONS[i % QUESTIONS.length] }),
  });
}

function whatsappMessage(i: number) {
  const phone = `9665500${String(i % 100_000).padStart(5, '0')}`;
  return fetch(`${base}/webhooks/whatsapp`, signed(JSON.stringify(webhook([change(phone, [text('مرحبا')])]))));
}

interface Tally {
  sent: number;
  statuses: Map<number, number>;
  missingRetryAfter: number;
  admittedMs: number[];
  rss: number[];
}

/** Fires `rate` requests a second for `seconds`, not waiting for answers (open loop). */
async function openLoop(
  rate: number,
  seconds: number,
  fire: (i: number) => Promise<Response> | undefined,
): Promise<Tally> {
  const tally: Tally = { sent: 0, statuses: new Map(), missingRetryAfter: 0, admittedMs: [], rss: [] };
  const pending = new Set<Promise<void>>();
  const sampler = setInterval(() => tally.rss.push(rssMb(server?.child.pid as number)), 1000);
  const started = performance.now();
  for (let i = 0; performance.now() - started < seconds * 1000; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    const request = fire(i);
    if (!request) continue;
    tally.sent++;
    const p = request
      .then(async (res) => {
        await res.arrayBuffer();
        tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
        if (res.status === 429 && !res.headers.get('retry-after')) tally.missingRetryAfter++;
        if (res.status < 300) tally.admittedMs.push(performance.now() - t0);
      })
      .catch(() => {
        tally.statuses.set(0, (tally.statuses.get(0) ?? 0) + 1);
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  }
  await Promise.all(pending);
  clearInterval(sampler);
  return tally;
}

function figuresOf(tally: Tally, rate: number, measured: number) {
  const third = Math.max(1, Math.floor(tally.rss.length / 3));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return {
    'measured turns/s': measured.toFixed(1),
    'offered/s': rate.toFixed(1),
    seconds: SECONDS,
    sent: tally.sent,
    statuses: JSON.stringify(Object.fromEntries(tally.statuses)),
    'admitted p50 ms': Math.round(percentile(tally.admittedMs, 50)),
    'admitted p99 ms': Math.round(percentile(tally.admittedMs, 99)),
    'rss first third MB': Math.round(mean(tally.rss.slice(0, third))),
    'rss last third MB': Math.round(mean(tally.rss.slice(-third))),
  };
}

describe('faults: load past the limits', () => {
  let measured = 0;
  let pool: Session[] = [];

  it('the widget path answers 201 or 429 with Retry-After, admitted latency bounded, memory flat', async () => {
    pool = await sessions(120);
    // Throughput one at a time per client, four clients, closed loop.
    let done = 0;
    const started = performance.now();
    await Promise.all(
      pool.slice(0, 4).map(async (s, k) => {
        while (performance.now() - started < 8000) {
          const res = await widgetMessage(s, done + k);
          await res.arrayBuffer();
          if (res.status === 201) done++;
        }
      }),
    );
    measured = done / ((performance.now() - started) / 1000);
    const rate = Math.max(2, measured * OVERLOAD);
    let next = 0;
    const tally = await openLoop(rate, SECONDS, (i) => {
      // One message at a time per conversation, as a visitor writes; the pool is large enough.
      for (let k = 0; k < pool.length; k++) {
        const s = pool[(next + k) % pool.length] as Session;
        if (s.busy) continue;
        next = (next + k + 1) % pool.length;
        s.busy = true;
        return widgetMessage(s, i).finally(() => {
          s.busy = false;
        });
      }
      return undefined;
    });
    const figures = figuresOf(tally, rate, measured);
    report('load on the widget', figures);
    const statuses = [...tally.statuses.keys()];
    expect(statuses.filter((s) => s !== 201 && s !== 429)).toEqual([]);
    expect(tally.statuses.get(429) ?? 0).toBeGreaterThan(0);
    expect(tally.missingRetryAfter).toBe(0);
    expect(figures['admitted p99 ms']).toBeLessThan(ADMITTED_P99_MS);
    expect(figures['rss last third MB']).toBeLessThan(figures['rss first third MB'] * 1.5 + 64);
  });

  it('the WhatsApp webhook answers 200 or 429 with Retry-After past its backlog, memory flat', async () => {
    const rate = Math.max(4, measured * OVERLOAD);
    const tally = await openLoop(rate, SECONDS, (i) => whatsappMessage(i));
    const figures = figuresOf(tally, rate, measured);
    report('load on the WhatsApp webhook', figures);
    const statuses = [...tally.statuses.keys()];
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(tally.missingRetryAfter).toBe(0);
    expect(figures['admitted p99 ms']).toBeLessThan(ADMITTED_P99_MS);
    expect(figures['rss last third MB']).toBeLessThan(figures['rss first third MB'] * 1.5 + 64);
  });
});
