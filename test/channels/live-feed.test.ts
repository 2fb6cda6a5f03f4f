/**
 * A customer holding a token for one conversation, and the live feeds: what a customer may
 * read and follow (its own conversation, without the staff's scores), how a reconnect resumes
 * from the last event id without loss or repeats, and what a staff feed sees on top.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/auth/staff.js';
import { testDeps } from '../helpers/backends.js';
import { type App, call, keysByRole } from '../helpers/http.js';
import { json, readSse, type SseEvent } from '../helpers/sse.js';

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;
let keys: Awaited<ReturnType<typeof keysByRole>>;

beforeAll(async () => {
  deps = await testDeps();
  const imported = await deps.kb.importFolder('knowledge-base');
  expect(imported.failed).toEqual([]);
  app = deps.service.app();
  keys = await keysByRole(deps.db);
}, 180_000);
afterAll(async () => deps?.close());

const REFUND_AR = 'متى يرجع لي المبلغ اذا رجعت الطلب؟';

async function openWithToken(name = 'سارة') {
  const opened = await call(app, 'POST', '/v1/conversations', {
    key: keys.agent,
    body: { contact: { externalId: `web-${Math.random()}`, name }, lang: 'ar' },
  });
  expect(opened.status).toBe(201);
  const { conversation } = (await opened.json()) as { conversation: { id: string } };
  const minted = await call(app, 'POST', `/v1/conversations/${conversation.id}/customer-token`, { key: keys.agent });
  expect(minted.status).toBe(201);
  const token = (await minted.json()) as { token: string; conversationId: string; expiresAt: string };
  return { id: conversation.id, token: token.token, expiresAt: token.expiresAt };
}

function feed(path: string, key: string, headers: Record<string, string> = {}) {
  return call(app, 'GET', path, { key, headers });
}

const byType = (type: string) => (e: SseEvent) => e.event === type;
const botMessage = (e: SseEvent) => e.event === 'message.created' && json(e).role === 'bot';

describe('a customer token', () => {
  it('is shown once, for one conversation, and expires after CUSTOMER_TOKEN_TTL_HOURS', async () => {
    const { id, token, expiresAt } = await openWithToken();
    expect(token).toMatch(/^ct_sanad_/);
    const hours = (Date.parse(expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    const stored = await deps.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM customer_tokens WHERE conversation_id = $1',
      [id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_hash).not.toContain(token.slice('ct_sanad_'.length));
  });

  it('writes and reads its conversation in Arabic, without the scores and hand-off internals staff see', async () => {
    const { id, token } = await openWithToken();
    const posted = await call(app, 'POST', `/v1/conversations/${id}/messages`, {
      key: token,
      body: { text: REFUND_AR },
    });
    expect(posted.status).toBe(201);
    const body = (await posted.json()) as {
      reply: { role: string; content: string; confidence: unknown; sentiment: unknown; lang: string };
    };
    expect(body.reply.role).toBe('bot');
    expect(body.reply.lang).toBe('ar');
    expect(body.reply.content).toMatch(/[\u0600-\u06FF]/);
    expect(body.reply.confidence).toBeNull();
    expect(body.reply.sentiment).toBeNull();

    const read = await call(app, 'GET', `/v1/conversations/${id}`, { key: token });
    expect(read.status).toBe(200);
    const view = (await read.json()) as { messages: { role: string; confidence: unknown }[]; handoffs: unknown[] };
    expect(view.messages.map((m) => m.role)).toEqual(['customer', 'bot']);
    expect(view.messages.every((m) => m.confidence === null)).toBe(true);
    expect(view.handoffs).toEqual([]);

    // Staff see the same conversation with its scores.
    const staff = (await (await call(app, 'GET', `/v1/conversations/${id}`, { key: keys.agent })).json()) as {
      messages: { role: string; confidence: number | null }[];
    };
    expect(staff.messages.find((m) => m.role === 'bot')?.confidence).toEqual(expect.any(Number));
  });

  it('sees nothing else: another conversation is a 404, staff routes and feeds are refused', async () => {
    const mine = await openWithToken();
    const other = await openWithToken('Omar');
    for (const path of [`/v1/conversations/${other.id}`, `/v1/conversations/${other.id}/feed`]) {
      expect((await call(app, 'GET', path, { key: mine.token })).status).toBe(404);
    }
    const write = await call(app, 'POST', `/v1/conversations/${other.id}/messages`, {
      key: mine.token,
      body: { text: 'hello' },
    });
    expect(write.status).toBe(404);
    for (const [method, path] of [
      ['GET', '/v1/feed'],
      ['GET', '/v1/articles'],
      ['POST', `/v1/conversations/${mine.id}/resolve`],
      ['POST', `/v1/conversations/${mine.id}/customer-token`],
      ['POST', '/v1/conversations'],
    ] as const) {
      const res = await call(app, method, path, { key: mine.token, body: method === 'POST' ? {} : undefined });
      expect([401, 403], `${method} ${path}`).toContain(res.status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('an expired or unknown token is a 401 invalid-customer-token problem that says what to do', async () => {
    const { id, token } = await openWithToken();
    await deps.db.query(
      `UPDATE customer_tokens SET expires_at = now() - interval '1 minute' WHERE conversation_id = $1`,
      [id],
    );
    for (const key of [token, 'ct_sanad_not-a-token']) {
      const res = await call(app, 'GET', `/v1/conversations/${id}`, { key });
      expect(res.status).toBe(401);
      const problem = (await res.json()) as { type: string; detail: string };
      expect(problem.type).toMatch(/invalid-customer-token$/);
      expect(problem.detail).toMatch(/new chat/);
    }
  });
});

describe('the conversation feed', () => {
  it("streams the customer's message and the bot's reply with ids, projected for the customer", async () => {
    const { id, token } = await openWithToken();
    const res = await feed(`/v1/conversations/${id}/feed`, token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const sse = readSse(res);
    try {
      await sse.until(byType('ready'));
      await call(app, 'POST', `/v1/conversations/${id}/messages`, { key: token, body: { text: REFUND_AR } });
      const seen = await sse.until(botMessage);
      const stored = seen.filter((e) => e.id !== undefined);
      expect(stored.map((e) => [e.event, json(e).role])).toEqual([
        ['message.created', 'customer'],
        ['message.created', 'bot'],
      ]);
      const ids = stored.map((e) => Number(e.id));
      expect(ids[1]).toBeGreaterThan(ids[0] as number);
      const reply = json(stored[1] as SseEvent);
      expect(reply.conversationId).toBe(id);
      expect(reply.confidence).toBeNull();
      expect(reply.sentiment).toBeNull();
      // The bot's decision record is for staff only.
      expect(seen.some((e) => e.event === 'bot.decided')).toBe(false);
    } finally {
      await sse.close();
    }
  });

  it('resumes after Last-Event-ID (or ?after=) with exactly the events after it, and resets on an unknown id', async () => {
    const { id, token } = await openWithToken();
    for (const text of [REFUND_AR, 'How long does delivery to Jeddah take?']) {
      expect((await call(app, 'POST', `/v1/conversations/${id}/messages`, { key: token, body: { text } })).status).toBe(
        201,
      );
    }
    // From the start: every stored event of the conversation, once, in order.
    // Messages only: delivery receipts (message.delivered) come and go with the delivery jobs.
    const stored = (sse: ReturnType<typeof readSse>) => sse.seen.filter((e) => e.event === 'message.created');
    const everyId = (sse: ReturnType<typeof readSse>) => sse.seen.flatMap((e) => (e.id ? [Number(e.id)] : []));
    const all = readSse(await feed(`/v1/conversations/${id}/feed?after=0`, token));
    let events: SseEvent[];
    try {
      await all.until(() => stored(all).length >= 4);
      events = stored(all);
    } finally {
      await all.close();
    }
    expect(events.map((e) => json(e).role)).toEqual(['customer', 'bot', 'customer', 'bot']);

    // A reconnect after the second event gets the last two, then a new turn's two, and nothing
    // twice: a repeat would have come before the new turn's events.
    const resumed = readSse(
      await feed(`/v1/conversations/${id}/feed`, token, { 'last-event-id': String(events[1]?.id) }),
    );
    try {
      await resumed.until(() => stored(resumed).length >= 2);
      await call(app, 'POST', `/v1/conversations/${id}/messages`, { key: token, body: { text: 'شكرا' } });
      await resumed.until(() => stored(resumed).length >= 4);
      const ids = stored(resumed).map((e) => Number(e.id));
      expect(ids.slice(0, 2)).toEqual([Number(events[2]?.id), Number(events[3]?.id)]);
      expect(ids[2]).toBeGreaterThan(ids[1] as number);
      const all = everyId(resumed);
      expect(new Set(all).size).toBe(all.length);
      expect(Math.min(...all)).toBeGreaterThan(Number(events[1]?.id));
      expect(all).toEqual([...all].sort((a, b) => a - b));
      expect(stored(resumed).map((e) => json(e).role)).toEqual(['customer', 'bot', 'customer', 'bot']);
    } finally {
      await resumed.close();
    }

    const unknown = readSse(await feed(`/v1/conversations/${id}/feed`, token, { 'last-event-id': '9999999999' }));
    try {
      const seen = await unknown.until(byType('ready'));
      const reset = seen.find(byType('reset'));
      expect(reset && json(reset).reason).toBe('unknown_id');
    } finally {
      await unknown.close();
    }
  });

  it('a staff feed also hears the reply as it is produced, and the decision with its confidence', async () => {
    const { id, token } = await openWithToken();
    const sse = readSse(await feed(`/v1/conversations/${id}/feed`, keys.agent));
    try {
      await sse.until(byType('ready'));
      await call(app, 'POST', `/v1/conversations/${id}/messages`, { key: token, body: { text: REFUND_AR } });
      const seen = await sse.until(byType('bot.decided'));
      await sse.until(botMessage);
      const streaming = seen.find(byType('reply.streaming'));
      expect(streaming, 'a confident answer is streamed').toBeDefined();
      expect(streaming?.id).toBeUndefined();
      expect(String(json(streaming as SseEvent).text).length).toBeGreaterThan(0);
      const reply = json(sse.seen.find(botMessage) as SseEvent);
      expect(reply.confidence).toEqual(expect.any(Number));
    } finally {
      await sse.close();
    }
  });

  it("an API key's /v1/feed carries the conversations it opened and none of another key's", async () => {
    const mine = await openWithToken();
    const sse = readSse(await feed('/v1/feed', keys.agent));
    const otherOpened = await call(app, 'POST', '/v1/conversations', {
      key: keys.supervisor,
      body: { contact: { externalId: `other-${Math.random()}` } },
    });
    const other = ((await otherOpened.json()) as { conversation: { id: string } }).conversation.id;
    try {
      await sse.until(byType('ready'));
      await call(app, 'POST', `/v1/conversations/${other}/messages`, { key: keys.supervisor, body: { text: 'hello' } });
      await call(app, 'POST', `/v1/conversations/${mine.id}/messages`, { key: mine.token, body: { text: REFUND_AR } });
      await sse.until(botMessage);
      const conversations = new Set(sse.seen.filter((e) => e.id).map((e) => json(e).conversationId));
      expect([...conversations]).toEqual([mine.id]);
    } finally {
      await sse.close();
    }
  });
});

describe('a person takes the conversation', () => {
  it('an agent signed in claims it, the customer hears "assigned", and the bot goes quiet', async () => {
    const { id, token } = await openWithToken();
    const agent = await createStaff(deps.db, {
      email: `agent-${Date.now()}@shop.example`,
      name: 'Huda',
      role: 'agent',
      password: 'a long enough password 123',
    });
    const login = await call(app, 'POST', '/v1/auth/login', {
      body: { email: agent.email, password: 'a long enough password 123' },
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;

    const sse = readSse(await feed(`/v1/conversations/${id}/feed`, token));
    try {
      await sse.until(byType('ready'));
      const claimed = await call(app, 'POST', `/v1/conversations/${id}/assign`, { body: {}, headers: { cookie } });
      expect(claimed.status).toBe(200);
      const { conversation } = (await claimed.json()) as { conversation: { status: string; assignedTo: string } };
      expect(conversation).toMatchObject({ status: 'assigned', assignedTo: agent.id });
      const seen = await sse.until(byType('conversation.assigned'));
      const replied = await call(app, 'POST', `/v1/conversations/${id}/replies`, {
        body: { text: 'أهلًا، معك هدى' },
        headers: { cookie },
      });
      expect(replied.status).toBe(201);
      await sse.until((e) => e.event === 'message.created' && json(e).role === 'agent');
      const agentMessage = json(
        sse.seen.find((e) => e.event === 'message.created' && json(e).role === 'agent') as SseEvent,
      );
      // The customer sees who answered by name, never the staff member's id.
      expect(agentMessage.author).toEqual({ id: null, name: 'Huda' });
      // The customer learns the status, not who or which team.
      expect(json(seen.find(byType('conversation.assigned')) as SseEvent)).toEqual({
        conversationId: id,
        status: 'assigned',
      });
    } finally {
      await sse.close();
    }
    const quiet = await call(app, 'POST', `/v1/conversations/${id}/messages`, {
      key: token,
      body: { text: REFUND_AR },
    });
    expect(((await quiet.json()) as { reply: unknown }).reply).toBeNull();

    // An agent's key cannot assign anyone (agents claim for themselves); a supervisor's key must say whom.
    const other = await openWithToken();
    const byAgentKey = await call(app, 'POST', `/v1/conversations/${other.id}/assign`, {
      key: keys.agent,
      body: { staffId: agent.id },
    });
    expect(byAgentKey.status).toBe(403);
    const opened = await call(app, 'POST', '/v1/conversations', {
      key: keys.supervisor,
      body: { contact: { externalId: `sup-${Date.now()}` } },
    });
    const supervised = ((await opened.json()) as { conversation: { id: string } }).conversation.id;
    const noWhom = await call(app, 'POST', `/v1/conversations/${supervised}/assign`, {
      key: keys.supervisor,
      body: {},
    });
    expect(noWhom.status).toBe(400);
    expect(((await noWhom.json()) as { type: string }).type).toBe('/problems/staff-required');
    const assigned = await call(app, 'POST', `/v1/conversations/${supervised}/assign`, {
      key: keys.supervisor,
      body: { staffId: agent.id },
    });
    expect(assigned.status).toBe(200);
  });
});
