/**
 * Redis stopped and restarted empty while 1,000 outbound WhatsApp replies are queued on BullMQ.
 * Every contact must get exactly one message (counted by the requests the mocked Graph API saw):
 * lost 0, duplicated 0, unanswered 0; the recovery time is from Redis's return to the last send.
 */
import { delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphApi, WA, wamid } from '../helpers/whatsapp.js';
import { eventually, faultService, report } from './deps.js';
import { type PrivatePostgres, type PrivateRedis, privatePostgres, privateRedis } from './services.js';

const CONTACTS = 1000;
const graph = graphApi(async () => {
  await delay(5);
  return undefined;
});
const msw = setupServer(graph.handler);
let pg: PrivatePostgres | undefined;
let redis: PrivateRedis | undefined;
let deps: Awaited<ReturnType<typeof faultService>> | undefined;

beforeAll(async () => {
  msw.listen({ onUnhandledRequest: 'error' });
  pg = await privatePostgres();
  redis = await privateRedis();
  deps = await faultService(pg.url, redis.url, { ...WA, WHATSAPP_SENDS_PER_SECOND: '40', JOB_CONCURRENCY: '4' });
  await deps.service.start();
});

afterAll(async () => {
  try {
    // Closing BullMQ needs its Redis.
    await redis?.start().catch(() => {});
    await deps?.close();
  } finally {
    await redis?.stop();
    await pg?.remove();
    msw.close();
  }
});

describe('faults: Redis lost with 1,000 replies queued', () => {
  it('every contact still gets exactly one message', async () => {
    const d = deps as NonNullable<typeof deps>;
    const phones = Array.from({ length: CONTACTS }, (_, i) => `9665400${String(i).padStart(5, '0')}`);
    for (let i = 0; i < phones.length; i += 16) {
      await Promise.all(
        phones.slice(i, i + 16).map((phone) =>
          d.service.inbox.receiveFrom({
            channel: 'whatsapp',
            contact: { externalId: phone, name: null },
            text: 'مرحبا',
            channelMessageId: wamid(),
          }),
        ),
      );
    }
    await eventually(async () => graph.calls.length >= 50, 'the first sends', 300_000);
    const sentBefore = graph.calls.length;
    expect(sentBefore).toBeLessThan(CONTACTS);
    await redis?.stop();
    await new Promise((r) => setTimeout(r, 2000));
    await redis?.start();
    const back = Date.now();

    await eventually(
      async () => {
        const [row] = await d.db.query<{ queued: number }>(
          `SELECT count(*)::int AS queued FROM messages m JOIN conversations c ON c.id = m.conversation_id
           WHERE m.role = 'bot' AND c.channel = 'whatsapp' AND m.delivery_status = 'queued'`,
        );
        return row?.queued === 0 && graph.calls.length >= CONTACTS;
      },
      'every reply sent after the restart',
      420_000,
    );
    const recovery = (Date.now() - back) / 1000;
    // A little longer: a duplicate would show up now.
    await new Promise((r) => setTimeout(r, 3000));
    const perPhone = new Map<string, number>();
    for (const call of graph.calls) perPhone.set(call.body.to, (perPhone.get(call.body.to) ?? 0) + 1);
    const [bot] = await d.db.query<{ n: number; failed: number }>(
      `SELECT count(DISTINCT c.id)::int AS n, count(*) FILTER (WHERE m.delivery_status <> 'sent')::int AS failed
       FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.role = 'bot' AND c.channel = 'whatsapp'`,
    );
    const figures = {
      replies: CONTACTS,
      'sent before the loss': sentBefore,
      lost: CONTACTS - perPhone.size,
      duplicated: [...perPhone.values()].filter((n) => n > 1).length,
      unanswered: CONTACTS - (bot?.n ?? 0),
      'not sent': bot?.failed ?? 0,
      'recovery s': recovery.toFixed(1),
    };
    report('redis restart', figures);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
    expect(figures.unanswered).toBe(0);
    expect(figures['not sent']).toBe(0);
  });
});
