/**
 * The hand-off log over the API: each hand-off with why, scores, team, wait, who took it and the
 * outcome; filters; the transcript with candidates; and the CSV export streamed a page at a time
 * for a log far larger than a page (bounded memory: no query reads more than a page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../../src/platform/db/db.js';
import { EXPORT_PAGE_ROWS, handoffCsv } from '../../src/reporting/csv.js';
import { testDeps } from '../helpers/backends.js';
import { type App, call, keysByRole } from '../helpers/http.js';
import { seedWorld } from './world.js';

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;
let keys: Awaited<ReturnType<typeof keysByRole>>;
let world: Awaited<ReturnType<typeof seedWorld>>;

const RANGE = 'from=2026-01-10&to=2026-01-10';

beforeAll(async () => {
  deps = await testDeps();
  app = deps.service.app();
  keys = await keysByRole(deps.db);
  world = await seedWorld(deps.db);
}, 120_000);
afterAll(async () => deps?.close());

const log = async (query: string) => {
  const res = await call(app, 'GET', `/v1/reports/handoffs?${RANGE}${query}`, { key: keys.supervisor });
  expect(res.status).toBe(200);
  return (await res.json()) as { items: Record<string, unknown>[]; nextCursor: string | null };
};

describe('the hand-off log', () => {
  it('every hand-off of the day, newest first, with wait, agent and outcome', async () => {
    const { items } = await log('');
    expect(items.map((i) => i.conversationId)).toEqual([world.c4, world.c3, world.c2]);
    const [c4, c3, c2] = items;
    expect(c4).toMatchObject({
      reason: 'low_confidence',
      confidence: expect.closeTo(0.4, 5),
      team: 'billing',
      channel: 'widget',
      lang: 'ar',
      waitSeconds: 120,
      agent: { id: world.amal, name: 'أمل' },
      outcome: 'resolved',
    });
    expect(((c4?.candidates ?? []) as { articleId: string }[]).map((c) => c.articleId)).toEqual([
      'refund-timeline',
      'payment-methods',
    ]);
    // Nobody has replied to C3: still waiting, and the wait runs to now.
    expect(c3).toMatchObject({ reason: 'customer_request', agent: null, outcome: 'waiting', firstHumanReplyAt: null });
    expect(c3?.waitSeconds as number).toBeGreaterThan(86_400);
    // The internal note at 10:10 is not a reply: the wait runs to 10:16:01.
    expect(c2).toMatchObject({ reason: 'negative_sentiment', waitSeconds: 600, outcome: 'resolved' });
  });

  it('filters: reason, team, channel, language', async () => {
    const ids = async (q: string) => (await log(q)).items.map((i) => i.conversationId);
    expect(await ids('&reason=low_confidence')).toEqual([world.c4]);
    expect(await ids('&team=billing')).toEqual([world.c4, world.c2]);
    expect(await ids('&channel=whatsapp')).toEqual([world.c2]);
    expect(await ids('&lang=en')).toEqual([world.c3]);
    expect(await ids('&lang=en&team=billing')).toEqual([]);
    const bad = await call(app, 'GET', `/v1/reports/handoffs?reason=bored`, { key: keys.supervisor });
    expect(bad.status).toBe(400);
  });

  it('pages by cursor without gaps or repeats; a forged cursor is a 400', async () => {
    const first = await log('&limit=2');
    expect(first.items).toHaveLength(2);
    const second = await log(`&limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((i) => i.conversationId)).toEqual([world.c2]);
    expect(second.nextCursor).toBeNull();
    const res = await call(app, 'GET', '/v1/reports/handoffs?cursor=bm9wZQ', { key: keys.supervisor });
    expect(res.status).toBe(400);
    expect((await res.json()).type).toBe('/problems/invalid-cursor');
  });

  it('one hand-off with the whole transcript: scores, decisions, votes, notes marked', async () => {
    const { items } = await log('&reason=low_confidence');
    const res = await call(app, 'GET', `/v1/reports/handoffs/${items[0]?.id}`, { key: keys.supervisor });
    expect(res.status).toBe(200);
    const { handoff, transcript } = await res.json();
    expect(handoff.candidates[0]).toMatchObject({ articleId: 'refund-timeline', score: expect.closeTo(0.4, 5) });
    expect(transcript.messages.map((m: { role: string }) => m.role)).toEqual([
      'customer',
      'bot',
      'customer',
      'bot',
      'agent',
    ]);
    expect(transcript.messages[1]).toMatchObject({
      decision: 'answer',
      helpful: false,
      citations: [{ articleId: 'refund-timeline' }],
    });
    expect(transcript.messages[4]).toMatchObject({ author: 'أمل', internal: false });
    const missing = await call(app, 'GET', `/v1/reports/handoffs/${world.c1}`, { key: keys.supervisor });
    expect(missing.status).toBe(404);
    expect((await call(app, 'GET', `/v1/reports/handoffs/${items[0]?.id}`, { key: keys.agent })).status).toBe(403);
  });
});

describe('CSV export', () => {
  it('the filtered log as CSV: a byte-order mark, a header, quoted Arabic, formulas defused', async () => {
    const res = await call(app, 'GET', `/v1/reports/handoffs/export?${RANGE}&team=billing`, { key: keys.supervisor });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain(
      'attachment; filename="handoffs-2026-01-10-2026-01-11.csv"',
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder()
      .decode(bytes)
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/^handoff_id,created_at,reason,/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(',low_confidence,');
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"") وين فلوسي"`);
    expect(lines[1]).toContain('refund-timeline (0.4); payment-methods (0.2)');
    expect(lines[1]).toContain(',أمل,resolved,');
  });

  it('streams a log many pages long: every row once, a page per read, never more in memory', async () => {
    const db = deps.db;
    const ROWS = EXPORT_PAGE_ROWS * 6 + 17;
    // Hand-offs of one conversation over the day after the seeded one, many sharing a timestamp.
    await db.query(
      `INSERT INTO handoffs (conversation_id, reason, question, team, priority, created_at)
       SELECT $1, 'low_confidence', 'سؤال رقم ' || i, 'bulk', 1, '2026-01-11T00:00:00Z'::timestamptz + (i / 3) * interval '1 second'
       FROM generate_series(1, $2::int) i`,
      [world.c6, ROWS],
    );
    const largest = { rows: 0, queries: 0 };
    const counting: Queryable = {
      async query<T extends object>(text: string, params?: unknown[]) {
        const rows = await (db as Db).query<T>(text, params);
        largest.rows = Math.max(largest.rows, rows.length);
        largest.queries += 1;
        return rows;
      },
    };
    const scope = { from: new Date('2026-01-11T00:00:00Z'), to: new Date('2026-01-12T00:00:00Z'), team: 'bulk' };
    const reader = handoffCsv(counting, scope).getReader();
    const decoder = new TextDecoder();
    let chunks = 0;
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks += 1;
      text += decoder.decode(value, { stream: true });
    }
    const lines = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(ROWS + 1);
    const numbers = lines.slice(1).map((l) => Number(l.match(/سؤال رقم (\d+)/)?.[1]));
    expect(new Set(numbers).size).toBe(ROWS);
    expect(largest.rows).toBeLessThanOrEqual(EXPORT_PAGE_ROWS);
    expect(largest.queries).toBe(Math.ceil(ROWS / EXPORT_PAGE_ROWS));
    expect(chunks).toBeGreaterThanOrEqual(Math.ceil(ROWS / EXPORT_PAGE_ROWS));

    // The same over HTTP: the body arrives as a stream of several chunks.
    const res = await call(app, 'GET', '/v1/reports/handoffs/export?from=2026-01-11&to=2026-01-11&team=bulk', {
      key: keys.supervisor,
    });
    expect(res.status).toBe(200);
    const body = res.body?.getReader();
    let received = 0;
    let parts = 0;
    for (;;) {
      const r = await body?.read();
      if (!r || r.done) break;
      parts += 1;
      received += new TextDecoder().decode(r.value).split('\r\n').length - 1;
    }
    expect(received).toBe(ROWS + 1);
    expect(parts).toBeGreaterThan(1);
  });
});
