/**
 * Replies queued on BullMQ survive Redis going away: 200 replies to 200 WhatsApp contacts are
 * queued, the test's own Redis is killed and restarted empty in the middle of sending, and
 * every contact still gets exactly one message, counted by the requests the mocked Graph API
 * saw. What carries them across: events left undispatched are swept, replies still queued are
 * swept, and each send is claimed in the database before it leaves, so a swept job finds it sent.
 *
 * Runs only when DATABASE_URL and REDIS_URL are set (CI's second run): this is the production
 * shape, Postgres + BullMQ, and the embedded run has no Redis to lose. It never touches the
 * shared Redis on 6379: it starts its own redis-server on a free port, without persistence, so
 * a restart loses every queued job, the worst case.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDeps } from '../helpers/backends.js';
import { eventually, graphApi, WA, wamid } from '../helpers/whatsapp.js';

const RUN = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
const CONTACTS = 200;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

let redis: ChildProcess | undefined;
async function startRedis(port: number): Promise<void> {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const client = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await eventually(
      async () => {
        try {
          if (client.status !== 'ready') await client.connect();
          return (await client.ping()) === 'PONG';
        } catch {
          client.disconnect();
          return false;
        }
      },
      `redis-server on port ${port}`,
      30_000,
    );
  } finally {
    client.disconnect();
  }
}
async function stopRedis(): Promise<void> {
  const child = redis;
  redis = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

const graph = graphApi(async () => {
  await delay(15);
  return undefined;
});
const server = setupServer(graph.handler);
let deps: Awaited<ReturnType<typeof testDeps>> | undefined;
let port = 0;

describe.skipIf(!RUN)('WhatsApp sends across a Redis restart', () => {
  beforeAll(async () => {
    server.listen({ onUnhandledRequest: 'error' });
    port = await freePort();
    await startRedis(port);
    deps = await testDeps({
      config: { ...WA, REDIS_URL: `redis://127.0.0.1:${port}`, WHATSAPP_SENDS_PER_SECOND: '10', JOB_CONCURRENCY: '4' },
    });
    await deps.service.start();
  }, 120_000);

  afterAll(async () => {
    try {
      // Closing BullMQ needs its Redis: bring it back if a failed test left it down.
      if (!redis && port) await startRedis(port);
      await deps?.close();
    } finally {
      await stopRedis();
      server.close();
    }
  }, 120_000);

  it('every contact gets exactly one message', async () => {
    const d = deps as NonNullable<typeof deps>;
    const phones = Array.from({ length: CONTACTS }, (_, i) => `9665300${String(i).padStart(5, '0')}`);
    // 200 customers say hello; each greeting gets a reply, queued for delivery as a job.
    for (let i = 0; i < phones.length; i += 8) {
      await Promise.all(
        phones.slice(i, i + 8).map((phone) =>
          d.inbox.receiveFrom({
            channel: 'whatsapp',
            contact: { externalId: phone, name: null },
            text: 'مرحبا',
            channelMessageId: wamid(),
          }),
        ),
      );
    }
    // At 10 sends a second, most are still queued: Redis dies with them and comes back empty.
    await eventually(async () => graph.calls.length >= 20, 'the first sends', 120_000);
    const sentBefore = graph.calls.length;
    expect(sentBefore).toBeLessThan(CONTACTS);
    await stopRedis();
    await new Promise((r) => setTimeout(r, 1000));
    await startRedis(port);

    const replies = await eventually(
      async () => {
        const rows = await d.db.query<{ id: string; delivery_status: string; external_id: string }>(
          `SELECT m.id, m.delivery_status, ct.external_id FROM messages m
           JOIN conversations c ON c.id = m.conversation_id JOIN contacts ct ON ct.id = c.contact_id
           WHERE m.role = 'bot' AND c.channel = 'whatsapp'`,
        );
        return rows.length === CONTACTS && rows.every((r) => r.delivery_status !== 'queued') ? rows : undefined;
      },
      'every reply delivered after the restart',
      240_000,
    );
    expect(replies.filter((r) => r.delivery_status !== 'sent')).toEqual([]);
    const perPhone = new Map<string, number>();
    for (const call of graph.calls) perPhone.set(call.body.to, (perPhone.get(call.body.to) ?? 0) + 1);
    expect([...perPhone.values()].filter((n) => n !== 1)).toEqual([]);
    expect(perPhone.size).toBe(CONTACTS);
    expect(graph.calls).toHaveLength(CONTACTS);
    expect(sentBefore).toBeGreaterThan(0);
  }, 420_000);
});
