/**
 * The agent's desk over the API: the queue's order, claiming and replying (and what a
 * customer sees of it), notes, auto-assignment within capacity, SLA flags, templates, and the
 * bookkeeping of suggestions from which acceptance and edit rates are computed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCustomerToken } from '../../src/auth/customer-tokens.js';
import { createStaff } from '../../src/auth/staff.js';
import type { Channel, OutboundMessage } from '../../src/channels/index.js';
import { testDeps } from '../helpers/backends.js';
import { type App, call } from '../helpers/http.js';
import { readSse } from '../helpers/sse.js';

const PASSWORD = 'a long enough password 123';
const sent: OutboundMessage[] = [];
const fakeChannel: Channel = {
  name: 'fake',
  async deliver(message) {
    sent.push(message);
    return { status: 'sent', channelMessageId: `out-${message.id}` };
  },
};

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;

beforeAll(async () => {
  deps = await testDeps({ channels: [fakeChannel] });
  const imported = await deps.kb.importFolder('knowledge-base');
  expect(imported.failed).toEqual([]);
  app = deps.service.app();
}, 180_000);
afterAll(async () => deps?.close());

interface Agent {
  id: string;
  name: string;
  cookie: string;
}

async function agent(name: string, options: { team?: string; role?: 'agent' | 'supervisor' } = {}): Promise<Agent> {
  const staff = await createStaff(deps.db, {
    email: `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@shop.example`,
    name,
    role: options.role ?? 'agent',
    password: PASSWORD,
    team: options.team ?? null,
  });
  const login = await call(app, 'POST', '/v1/auth/login', { body: { email: staff.email, password: PASSWORD } });
  expect(login.status).toBe(200);
  return { id: staff.id, name, cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] as string };
}

const as = (a: Agent, method: string, path: string, body?: unknown) =>
  call(app, method, path, { body, headers: { cookie: a.cookie } });

/** A conversation on the fake channel that the bot handed off (the customer asked for a person). */
async function handedOff(text = 'أبي أكلم موظف لو سمحت', lang: 'ar' | 'en' = 'ar', name = 'سارة') {
  const outcome = await deps.inbox.receiveFrom({
    channel: 'fake',
    contact: { externalId: `+9665${Math.floor(Math.random() * 1e8)}`, name },
    text,
    lang,
  });
  expect(outcome.handoff?.reason).toBeDefined();
  return outcome.message.conversation_id;
}

beforeEach(async () => {
  // Each test routes its own conversations: nobody is available unless the test says so.
  await deps.db.query('UPDATE staff SET available = false');
  await deps.db.query("UPDATE conversations SET status = 'resolved' WHERE status IN ('waiting_human', 'assigned')");
});

describe('the queue', () => {
  it('lists waiting conversations by priority, then the longest wait, with the hand-off details; filters work', async () => {
    const a = await handedOff('أبي أكلم موظف', 'ar', 'A');
    const b = await handedOff('I want to talk to a human', 'en', 'B');
    const c = await handedOff('أبي أكلم موظف', 'ar', 'C');
    await deps.db.query(
      `UPDATE conversations SET priority = 90, handed_off_at = now() - interval '1 minute' WHERE id = $1`,
      [c],
    );
    await deps.db.query(
      `UPDATE conversations SET priority = 50, handed_off_at = now() - interval '5 minutes' WHERE id = $1`,
      [a],
    );
    await deps.db.query(
      `UPDATE conversations SET priority = 50, handed_off_at = now() - interval '2 minutes' WHERE id = $1`,
      [b],
    );
    const huda = await agent('Huda');
    const res = await as(huda, 'GET', '/v1/queue');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as {
      items: { conversationId: string; reason: string; waitingSeconds: number; contactName: string }[];
    };
    expect(items.map((i) => i.conversationId)).toEqual([c, a, b]);
    expect(items[1]).toMatchObject({ reason: 'customer_request', contactName: 'A' });
    expect(items[1]?.waitingSeconds).toBeGreaterThanOrEqual(290);
    const english = (await (await as(huda, 'GET', '/v1/queue?lang=en')).json()) as {
      items: { conversationId: string }[];
    };
    expect(english.items.map((i) => i.conversationId)).toEqual([b]);
  });

  it('auto-assigns to available agents of the team within capacity, least loaded first; the rest keep waiting', async () => {
    const one = await agent('One', { team: 'general' });
    const two = await agent('Two', { team: 'general' });
    const away = await agent('Away', { team: 'general' });
    await deps.db.query('UPDATE staff SET capacity = 2 WHERE id = $1', [one.id]);
    await deps.db.query('UPDATE staff SET capacity = 1 WHERE id = $1', [two.id]);
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await handedOff());
    expect((await as(one, 'PUT', '/v1/me/availability', { available: true })).status).toBe(200);
    await as(two, 'PUT', '/v1/me/availability', { available: true });
    await deps.inbox.assignWaiting();
    const rows = await deps.db.query<{ assigned_to: string | null; status: string }>(
      'SELECT assigned_to, status FROM conversations WHERE id = ANY($1)',
      [ids],
    );
    const load = (a: Agent) => rows.filter((r) => r.assigned_to === a.id).length;
    expect([load(one), load(two), load(away)]).toEqual([2, 1, 0]);
    expect(rows.filter((r) => r.status === 'waiting_human')).toHaveLength(1);
    // The one left waiting is taken as soon as an agent has room again.
    const [mine] = await deps.db.query<{ id: string }>('SELECT id FROM conversations WHERE assigned_to = $1 LIMIT 1', [
      two.id,
    ]);
    await deps.inbox.resolve(mine?.id as string);
    await deps.inbox.assignWaiting();
    const waiting = await deps.db.query("SELECT 1 FROM conversations WHERE id = ANY($1) AND status = 'waiting_human'", [
      ids,
    ]);
    expect(waiting).toHaveLength(0);
  });

  it('flags a conversation waiting past the SLA once, and raises it', async () => {
    const id = await handedOff();
    const fresh = await handedOff();
    await deps.db.query(
      `UPDATE conversations SET handed_off_at = now() - interval '11 minutes', priority = 40 WHERE id = $1`,
      [id],
    );
    expect(await deps.inbox.flagSlaBreaches()).toBe(1);
    expect(await deps.inbox.flagSlaBreaches()).toBe(0);
    const [row] = await deps.db.query<{ priority: number; sla_breached_at: Date | null }>(
      'SELECT priority, sla_breached_at FROM conversations WHERE id = $1',
      [id],
    );
    expect(row?.priority).toBe(60);
    expect(row?.sla_breached_at).not.toBeNull();
    const huda = await agent('Huda');
    const { items } = (await (await as(huda, 'GET', '/v1/queue')).json()) as {
      items: { conversationId: string; slaBreached: boolean }[];
    };
    expect(items.find((i) => i.conversationId === id)?.slaBreached).toBe(true);
    expect(items.find((i) => i.conversationId === fresh)?.slaBreached).toBe(false);
    const events = await deps.db.query(
      "SELECT 1 FROM events WHERE type = 'conversation.sla_breached' AND conversation_id = $1",
      [id],
    );
    expect(events).toHaveLength(1);
  });
});

describe('claiming and replying', () => {
  it("a reply needs the claim; a colleague's claim is a 409 naming them; the reply reaches the customer with the agent's name", async () => {
    const id = await handedOff('أبي أكلم موظف', 'ar', 'نورة');
    const huda = await agent('Huda');
    const omar = await agent('Omar');
    const early = await as(huda, 'POST', `/v1/conversations/${id}/replies`, { text: 'مرحبا' });
    expect(early.status).toBe(403);
    expect(((await early.json()) as { type: string }).type).toBe('/problems/not-assigned');

    expect((await as(huda, 'POST', `/v1/conversations/${id}/assign`, {})).status).toBe(200);
    const taken = await as(omar, 'POST', `/v1/conversations/${id}/assign`, {});
    expect(taken.status).toBe(409);
    const problem = (await taken.json()) as { type: string; detail: string; assignedTo: { name: string } };
    expect(problem.type).toBe('/problems/already-assigned');
    expect(problem.assignedTo.name).toBe('Huda');
    expect((await as(omar, 'POST', `/v1/conversations/${id}/replies`, { text: 'hi' })).status).toBe(403);

    const reply = await as(huda, 'POST', `/v1/conversations/${id}/replies`, {
      text: 'أهلًا نورة، معك هدى من خدمة العملاء. <script>alert(1)</script> كيف أقدر أساعدك؟',
    });
    expect(reply.status).toBe(201);
    const { message } = (await reply.json()) as { message: { id: string; content: string; author: { name: string } } };
    expect(message.content).not.toContain('<script');
    expect(message.author.name).toBe('Huda');
    const until = Date.now() + 60_000;
    while (!sent.some((m) => m.id === message.id) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const out = sent.find((m) => m.id === message.id);
    expect(out).toMatchObject({ role: 'agent', content: message.content });

    // Empty after markup is removed: a clear error, nothing stored.
    const empty = await as(huda, 'POST', `/v1/conversations/${id}/replies`, { text: '  ' });
    expect(empty.status).toBe(400);
  });

  it('an internal note needs no claim, is never sent, and the customer never sees it', async () => {
    const id = await handedOff('I want to talk to a human', 'en', 'Sam');
    const huda = await agent('Huda');
    const note = await as(huda, 'POST', `/v1/conversations/${id}/replies`, {
      text: 'VIP: refund approved by the manager',
      note: true,
    });
    expect(note.status).toBe(201);
    const { message } = (await note.json()) as {
      message: { id: string; internal: boolean; deliveryStatus: string | null };
    };
    expect(message).toMatchObject({ internal: true, deliveryStatus: null });
    // The customer (the widget's token for this conversation) reads it without the note.
    const { token } = await createCustomerToken(deps.db, id, 1);
    const view = (await (await call(app, 'GET', `/v1/conversations/${id}`, { key: token })).json()) as {
      messages: { id: string }[];
    };
    expect(view.messages.length).toBeGreaterThan(0);
    expect(view.messages.some((m) => m.id === message.id)).toBe(false);
    // Never queued for delivery, so no job can send it later either.
    const [row] = await deps.db.query<{ delivery_status: string | null }>(
      'SELECT delivery_status FROM messages WHERE id = $1',
      [message.id],
    );
    expect(row?.delivery_status).toBeNull();
    expect(sent.some((m) => m.id === message.id)).toBe(false);
    const staffView = (await (await as(huda, 'GET', `/v1/conversations/${id}`)).json()) as {
      messages: { id: string }[];
    };
    expect(staffView.messages.some((m) => m.id === message.id)).toBe(true);
  });
});

describe('suggestions', () => {
  it("grounded in the knowledge base, in the customer's language; accepted, edited and rejected are stored with rates", async () => {
    const huda = await agent('Huda');
    // The customer asked a question, then asked for a person: suggestions answer the latest message.
    const contact = `+9665${Math.floor(Math.random() * 1e8)}`;
    const first = await deps.inbox.receiveFrom({
      channel: 'fake',
      contact: { externalId: contact },
      text: 'أبي أكلم موظف',
    });
    const id = first.message.conversation_id;
    await as(huda, 'POST', `/v1/conversations/${id}/assign`, {});
    await deps.inbox.receive({ conversationId: id, text: 'كم يوم عندي عشان أرجع الغرض؟' });
    const res = await as(huda, 'GET', `/v1/conversations/${id}/suggestions`);
    expect(res.status).toBe(200);
    const { suggestions } = (await res.json()) as {
      suggestions: { id: string; kind: string; content: string; lang: string; citations: { articleId: string }[] }[];
    };
    const knowledge = suggestions.find((s) => s.kind === 'knowledge');
    expect(knowledge?.lang).toBe('ar');
    expect(knowledge?.content).toMatch(/[\u0600-\u06FF]/);
    expect(knowledge?.citations[0]?.articleId).toBe('returns-policy-ar');
    // Asking again gives the same suggestions, not new ones.
    const again = (await (await as(huda, 'GET', `/v1/conversations/${id}/suggestions`)).json()) as {
      suggestions: { id: string }[];
    };
    expect(again.suggestions.map((s) => s.id)).toEqual(suggestions.map((s) => s.id));

    // Accepted as is: the reply records the suggestion's articles.
    const accepted = await as(huda, 'POST', `/v1/conversations/${id}/replies`, {
      text: knowledge?.content,
      suggestionId: knowledge?.id,
    });
    expect(accepted.status).toBe(201);
    const acceptedMessage = ((await accepted.json()) as { message: { citations: { articleId: string }[] } }).message;
    expect(acceptedMessage.citations.map((c) => c.articleId)).toEqual(['returns-policy-ar']);
    // The same suggestion twice: already used.
    const twice = await as(huda, 'POST', `/v1/conversations/${id}/replies`, { text: 'x', suggestionId: knowledge?.id });
    expect(twice.status).toBe(409);

    // Edited: a new customer message, a new suggestion, changed before sending.
    await deps.inbox.receive({ conversationId: id, text: 'How long does delivery to Jeddah take?' });
    const next = (await (await as(huda, 'GET', `/v1/conversations/${id}/suggestions`)).json()) as {
      suggestions: { id: string; kind: string; content: string }[];
    };
    const toEdit = next.suggestions.find((s) => s.kind === 'knowledge') as { id: string; content: string };
    const edited = await as(huda, 'POST', `/v1/conversations/${id}/replies`, {
      text: `${toEdit.content}\n\nAnything else?`,
      suggestionId: toEdit.id,
    });
    expect(edited.status).toBe(201);

    // Rejected, and another conversation's suggestion is unknown here.
    await deps.inbox.receive({ conversationId: id, text: 'which payment methods do you accept?' });
    const third = (await (await as(huda, 'GET', `/v1/conversations/${id}/suggestions`)).json()) as {
      suggestions: { id: string }[];
    };
    const other = await handedOff();
    await as(huda, 'POST', `/v1/conversations/${other}/assign`, {});
    const foreign = await as(huda, 'POST', `/v1/conversations/${other}/replies`, {
      text: 'x',
      suggestionId: third.suggestions[0]?.id,
    });
    expect(foreign.status).toBe(404);
    expect((await as(huda, 'POST', `/v1/suggestions/${third.suggestions[0]?.id}/reject`)).status).toBe(200);

    const rows = await deps.db.query<{ outcome: string; edit_distance: number | null }>(
      'SELECT outcome, edit_distance FROM suggestions WHERE conversation_id = $1 AND outcome IS NOT NULL ORDER BY decided_at',
      [id],
    );
    expect(rows.map((r) => r.outcome)).toEqual(['accepted', 'edited', 'rejected']);
    expect(rows[0]?.edit_distance).toBe(0);
    expect(rows[1]?.edit_distance).toBe('\n\nAnything else?'.length);

    const supervisor = await agent('Salma', { role: 'supervisor' });
    const stats = (await (await as(supervisor, 'GET', '/v1/suggestions/stats')).json()) as {
      acceptanceRate: number;
      editRate: number;
    };
    expect(stats.acceptanceRate).toBeCloseTo(1 / 3, 5);
    expect(stats.editRate).toBeCloseTo(1 / 3, 5);
    expect((await as(huda, 'GET', '/v1/suggestions/stats')).status).toBe(403);
  });

  it('an upset customer gets a de-escalating opener first', async () => {
    const huda = await agent('Huda');
    const id = await handedOff('I want to talk to a human', 'en', 'Sam');
    await as(huda, 'POST', `/v1/conversations/${id}/assign`, {});
    await deps.inbox.receive({
      conversationId: id,
      text: 'This is terrible, the worst service ever, my refund still has not arrived!!',
    });
    const { suggestions } = (await (await as(huda, 'GET', `/v1/conversations/${id}/suggestions`)).json()) as {
      suggestions: { kind: string; content: string }[];
    };
    expect(suggestions[0]?.kind).toBe('deescalation');
    expect(suggestions[0]?.content).toMatch(/^Hi Sam, I'm sorry/);
  });
});

describe('templates', () => {
  it('fills {{customer.name}} and {{agent.name}}; unknown variables, shortcodes and duplicates are clear errors', async () => {
    const huda = await agent('Huda');
    const created = await as(huda, 'POST', '/v1/templates', {
      shortcode: 'refund-delay',
      lang: 'ar',
      title: 'تأخر الاسترداد',
      body: 'أهلًا {{customer.name}}، معك {{ agent.name }}. سأتابع استرداد مبلغك بنفسي.',
      tags: ['refunds'],
    });
    expect(created.status).toBe(201);
    const duplicate = await as(huda, 'POST', '/v1/templates', {
      shortcode: 'refund-delay',
      lang: 'ar',
      title: 'x',
      body: 'y',
    });
    expect(duplicate.status).toBe(409);
    const unknown = await as(huda, 'POST', '/v1/templates', {
      shortcode: 'order',
      lang: 'en',
      title: 'Order',
      body: 'Your order {{order.number}} is on its way',
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { detail: string }).detail).toContain('{{order.number}}');

    const id = await handedOff('أبي أكلم موظف', 'ar', 'نورة');
    const rendered = await as(huda, 'POST', `/v1/conversations/${id}/templates/render`, { shortcode: '/refund-delay' });
    expect(rendered.status).toBe(200);
    expect(((await rendered.json()) as { text: string }).text).toBe('أهلًا نورة، معك Huda. سأتابع استرداد مبلغك بنفسي.');
    const missing = await as(huda, 'POST', `/v1/conversations/${id}/templates/render`, { shortcode: 'nope' });
    expect(missing.status).toBe(404);

    const list = (await (await as(huda, 'GET', '/v1/templates?lang=ar&q=refund')).json()) as {
      templates: { id: string }[];
    };
    expect(list.templates).toHaveLength(1);
    const templateId = list.templates[0]?.id;
    expect((await as(huda, 'DELETE', `/v1/templates/${templateId}`)).status).toBe(204);
    expect((await as(huda, 'DELETE', `/v1/templates/${templateId}`)).status).toBe(404);
  });
});

describe('typing', () => {
  it("the agent sees the customer typing and the customer the agent, on the conversation's feed only", async () => {
    const huda = await agent('Huda');
    const id = await handedOff('أبي أكلم موظف بخصوص طلبي');
    const { token } = await createCustomerToken(deps.db, id, 1);
    const agentFeed = readSse(await as(huda, 'GET', `/v1/conversations/${id}/feed`));
    const customerFeed = readSse(await call(app, 'GET', `/v1/conversations/${id}/feed`, { key: token }));
    const wholeFeed = readSse(await as(huda, 'GET', '/v1/feed'));
    try {
      await Promise.all([agentFeed, customerFeed, wholeFeed].map((f) => f.until((e) => e.event === 'ready')));
      // Before claiming, the agent may not speak to the customer, typing included.
      const early = await as(huda, 'POST', `/v1/conversations/${id}/typing`);
      expect(early.status).toBe(403);
      expect(((await early.json()) as { type: string }).type).toMatch(/not-assigned$/);

      expect((await call(app, 'POST', `/v1/conversations/${id}/typing`, { key: token })).status).toBe(204);
      const heard = await agentFeed.until((e) => e.event === 'typing');
      expect(JSON.parse(heard.find((e) => e.event === 'typing')?.data ?? '{}')).toMatchObject({
        conversationId: id,
        role: 'customer',
      });

      expect((await as(huda, 'POST', `/v1/conversations/${id}/assign`, {})).status).toBe(200);
      expect((await as(huda, 'POST', `/v1/conversations/${id}/typing`)).status).toBe(204);
      const seen = await customerFeed.until((e) => e.event === 'typing');
      const typing = seen.filter((e) => e.event === 'typing').map((e) => JSON.parse(e.data));
      // The customer hears the agent (by name), never their own keystrokes.
      expect(typing).toEqual([{ conversationId: id, role: 'agent', name: 'Huda' }]);
      // The whole-service feed carries the assignment, and no keystrokes.
      await wholeFeed.until((e) => e.event === 'conversation.assigned' && e.data.includes(id));
      expect(wholeFeed.seen.some((e) => e.event === 'typing')).toBe(false);
    } finally {
      await Promise.all([agentFeed.close(), customerFeed.close(), wholeFeed.close()]);
    }
  });

  it('a stranger to the conversation gets 404, and a resolved conversation announces nothing', async () => {
    const id = await handedOff('I want to talk to someone please', 'en', 'Sam');
    const other = await handedOff('I need a person', 'en', 'Lee');
    const { token } = await createCustomerToken(deps.db, other, 1);
    expect((await call(app, 'POST', `/v1/conversations/${id}/typing`, { key: token })).status).toBe(404);
    const huda = await agent('Huda');
    expect((await as(huda, 'POST', `/v1/conversations/${id}/assign`, {})).status).toBe(200);
    expect((await as(huda, 'POST', `/v1/conversations/${id}/resolve`)).status).toBe(200);
    expect((await as(huda, 'POST', `/v1/conversations/${id}/typing`)).status).toBe(204);
  });
});
