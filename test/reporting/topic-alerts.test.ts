/**
 * Topic alerts: per article tag, hand-offs or negative messages in the last window against the
 * tag's own baseline; flagged once per tag, metric and window, shown by the API and POSTed to
 * the configured webhook with an HMAC-SHA256 signature over the raw body (msw receives it; any
 * other request fails the test). A refused delivery is retried.
 */
import { createHmac } from 'node:crypto';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTopicAlerts, SIGNATURE_HEADER, topicAlertRule } from '../../src/reporting/index.js';
import { testDeps } from '../helpers/backends.js';
import { call, keysByRole } from '../helpers/http.js';
import { seedArticle, seedContact, seedConversation } from './seed.js';

const HOOK = 'https://hooks.example.test/sanad-alerts';
const SECRET = 'alert-secret-for-tests-0123456789';
const received: { body: string; signature: string | null; delivery: string | null }[] = [];
let refuseNext = 0;

const server = setupServer(
  http.post(HOOK, async ({ request }) => {
    const body = await request.text();
    if (refuseNext > 0) {
      refuseNext -= 1;
      return new HttpResponse(null, { status: 503 });
    }
    received.push({
      body,
      signature: request.headers.get(SIGNATURE_HEADER),
      delivery: request.headers.get('x-sanad-delivery'),
    });
    return new HttpResponse(null, { status: 204 });
  }),
);

let deps: Awaited<ReturnType<typeof testDeps>>;
const NOW = new Date('2026-02-01T12:30:00Z');
const minutesBefore = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  deps = await testDeps({
    config: {
      TOPIC_ALERT_WEBHOOK_URL: HOOK,
      TOPIC_ALERT_WEBHOOK_SECRET: SECRET,
      TOPIC_ALERT_WINDOW_MINUTES: '60',
      TOPIC_ALERT_BASELINE_WINDOWS: '24',
      TOPIC_ALERT_FACTOR: '3',
      TOPIC_ALERT_MIN_COUNT: '5',
    },
  });
  const db = deps.db;
  await seedArticle(db, 'payment-methods', ['billing', 'payments']);
  await seedArticle(db, 'refund-timeline', ['billing', 'refunds']);
  await seedArticle(db, 'delivery-times', ['delivery']);
  const contact = await seedContact(db, 'widget');
  const conversation = await seedConversation(db, {
    contact,
    channel: 'widget',
    lang: 'ar',
    createdAt: minutesBefore(26 * 60),
    lastArticle: 'delivery-times',
  });
  const handoffs = async (article: string, count: number, from: number, to: number) => {
    for (let i = 0; i < count; i++) {
      const m = from + ((to - from) * i) / count;
      await conversation.handoff({
        at: minutesBefore(m),
        reason: 'low_confidence',
        team: 'billing',
        candidates: [{ articleId: article, score: 0.3 }],
      });
    }
  };
  // Last hour: payments 6 (baseline 2 in 24 h), refunds 6 (baseline 72: 3 an hour, so 6 is only
  // twice it), delivery 3 (below the minimum of 5). Billing (both articles) 12 against (2+72)/24.
  await handoffs('payment-methods', 6, 5, 55);
  await handoffs('payment-methods', 2, 120, 600);
  await handoffs('refund-timeline', 6, 5, 55);
  await handoffs('refund-timeline', 72, 70, 1400);
  await handoffs('delivery-times', 3, 5, 55);
  // Five upset messages about delivery in the last hour (the conversation's article), none before.
  for (let i = 0; i < 5; i++)
    await conversation.message({ role: 'customer', at: minutesBefore(50 - i), sentiment: -0.9 });
  // Out of the baseline (26 h ago): ignored.
  await conversation.message({ role: 'customer', at: minutesBefore(26 * 60 - 1), sentiment: -0.9 });
}, 120_000);
afterAll(async () => {
  await deps?.close();
  server.close();
});

const signed = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

describe('topic alerts', () => {
  it('flags the tags well above their own baseline, once per window, and sends each signed', async () => {
    const rule = topicAlertRule(deps.config);
    const raised = await checkTopicAlerts(deps, rule, NOW);
    const keyOf = (a: { metric: string; tag: string }) => `${a.metric}/${a.tag}`;
    expect(raised.map(keyOf).sort()).toEqual(['handoffs/billing', 'handoffs/payments', 'negative_sentiment/delivery']);
    const payments = raised.find((a) => a.tag === 'payments');
    expect(payments).toMatchObject({ count: 6, windowStart: minutesBefore(60), windowEnd: NOW.toISOString() });
    expect(payments?.baseline).toBeCloseTo(2 / 24, 5);

    // Again in the same window (another sweep, another process): nothing new.
    expect(await checkTopicAlerts(deps, rule, new Date(NOW.getTime() + 60_000))).toEqual([]);

    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(3);
    for (const r of received) {
      expect(r.signature).toBe(signed(r.body));
      const payload = JSON.parse(r.body);
      expect(payload.type).toBe('topic.alerted');
      expect(String(payload.eventId)).toBe(r.delivery);
    }
    expect(received.map((r) => keyOf(JSON.parse(r.body).alert)).sort()).toEqual(raised.map(keyOf).sort());
    await expect
      .poll(async () => (await deps.db.query('SELECT 1 FROM topic_alerts WHERE delivered_at IS NOT NULL')).length)
      .toBe(3);
  });

  it('the dashboard API lists them; a delivery refused once is retried and recorded', async () => {
    const keys = await keysByRole(deps.db);
    const res = await call(deps.service.app(), 'GET', '/v1/reports/topic-alerts?from=2026-01-01&to=2026-12-31', {
      key: keys.supervisor,
    });
    expect(res.status).toBe(200);
    // Created now (the row's clock), within the year asked for.
    expect((await res.json()).items).toHaveLength(3);

    // The next window: payments keeps rising (six more by 12:55); the first delivery attempt is refused.
    await deps.db.query(
      `INSERT INTO handoffs (conversation_id, reason, question, team, priority, candidates, created_at)
       SELECT (SELECT id FROM conversations LIMIT 1), 'low_confidence', 'q', 'billing', 1,
              '[{"articleId": "payment-methods", "title": "t", "score": 0.3, "similarity": 0.3}]'::jsonb,
              '2026-02-01T12:35:00Z'::timestamptz + i * interval '3 minutes'
       FROM generate_series(1, 6) i`,
    );
    received.length = 0;
    refuseNext = 1;
    const later = new Date(NOW.getTime() + 30 * 60_000);
    const raised = await checkTopicAlerts(deps, topicAlertRule(deps.config), later);
    expect(raised.length).toBeGreaterThan(0);
    await expect.poll(() => received.length, { timeout: 20_000 }).toBe(raised.length);
    // The row is updated after the webhook answers: wait for the bookkeeping too.
    const ids = `{${raised.map((a) => a.id).join(',')}}`;
    const bookkeeping = async () =>
      (
        await deps.db.query<{ attempts: number; undelivered: number }>(
          `SELECT sum(attempts)::int AS attempts, count(*) FILTER (WHERE delivered_at IS NULL)::int AS undelivered
           FROM topic_alerts WHERE id = ANY($1::uuid[])`,
          [ids],
        )
      )[0];
    await expect.poll(bookkeeping, { timeout: 20_000 }).toEqual({ attempts: raised.length + 1, undelivered: 0 });
  });
});
