/**
 * The inbox: a message is stored first and counts as handled only once its outcome is stored;
 * turns of one conversation never interleave, across inbox instances as across processes; a
 * message stored before a crash is answered at start; a reindex never fails a customer; what
 * the bot sends carries no markup an editor wrote.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decide, Decision } from '../../src/bot/index.js';
import { type Inbox, inboxModule, type Message } from '../../src/inbox/index.js';
import { storeCustomerMessage } from '../../src/inbox/store.js';
import { activeModel, setActiveModel } from '../../src/knowledge/embedding-store.js';
import { testDeps } from '../helpers/backends.js';

let deps: Awaited<ReturnType<typeof testDeps>>;

beforeAll(async () => {
  deps = await testDeps();
  const imported = await deps.kb.importFolder('knowledge-base');
  expect(imported.failed).toEqual([]);
}, 180_000);
afterAll(async () => deps?.close());

const REFUND_AR = 'متى يرجع لي المبلغ اذا رجعت الطلب؟';

const inboxWith = (decide: Decide): Inbox => inboxModule(deps.service.platform, decide);
const open = (inbox: Inbox = deps.inbox) => inbox.open({ channel: 'api', externalId: randomUUID() });

async function messagesOf(conversationId: string) {
  return deps.db.query<Message>('SELECT * FROM messages WHERE conversation_id = $1 ORDER BY seq', [conversationId]);
}

describe('a message is handled until its outcome is stored', () => {
  it('a turn that throws after the message is stored: the redelivery gets the one reply', async () => {
    let fail = true;
    const flaky = inboxWith(async (message, snapshot, options) => {
      if (fail) {
        fail = false;
        throw new Error('the process fell over mid-turn');
      }
      return deps.service.decide(message, snapshot, options);
    });
    const { id } = await open(flaky);
    await expect(flaky.receive({ conversationId: id, text: REFUND_AR, channelMessageId: 'wamid.1' })).rejects.toThrow(
      /fell over/,
    );
    const stored = await messagesOf(id);
    expect(stored.map((m) => [m.role, m.decided_at])).toEqual([['customer', null]]);

    const again = await flaky.receive({ conversationId: id, text: REFUND_AR, channelMessageId: 'wamid.1' });
    expect(again.duplicate).toBe(true);
    expect(again.reply?.role).toBe('bot');
    expect(again.reply?.reply_to).toBe(again.message.id);
    expect(again.message.decided_at).not.toBeNull();

    // A third delivery changes nothing and answers the same way.
    const third = await flaky.receive({ conversationId: id, text: REFUND_AR, channelMessageId: 'wamid.1' });
    expect(third.reply?.id).toBe(again.reply?.id);
    const rows = await messagesOf(id);
    expect(rows.map((m) => m.role)).toEqual(['customer', 'bot']);
  });

  it('a redelivery while the first is still being decided waits for its outcome, never reply: null', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started!: () => void;
    const deciding = new Promise<void>((r) => {
      started = r;
    });
    const slow = inboxWith(async (message, snapshot, options) => {
      started();
      await gate;
      return deps.service.decide(message, snapshot, options);
    });
    const { id } = await open(slow);
    const first = slow.receive({ conversationId: id, text: REFUND_AR, channelMessageId: 'wamid.slow' });
    await deciding;
    const repeat = slow.receive({ conversationId: id, text: REFUND_AR, channelMessageId: 'wamid.slow' });
    release();
    const [a, b] = await Promise.all([first, repeat]);
    expect(a.duplicate).toBe(false);
    expect(b.duplicate).toBe(true);
    expect(b.reply).toBeDefined();
    expect(b.reply?.id).toBe(a.reply?.id);
    expect((await messagesOf(id)).map((m) => m.role)).toEqual(['customer', 'bot']);
  });

  it('a message stored before a crash is answered when the service starts', async () => {
    const { id } = await open();
    // What a crash between "stored" and "decided" leaves behind.
    const { message } = await storeCustomerMessage(deps.db, { conversationId: id, content: REFUND_AR, lang: 'ar' });
    expect(message.decided_at).toBeNull();
    await deps.service.start();
    let rows: Message[] = [];
    for (const until = Date.now() + 60_000; Date.now() < until; ) {
      await deps.jobs.idle();
      rows = await messagesOf(id);
      if (rows.some((m) => m.role === 'bot')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows.map((m) => m.role)).toEqual(['customer', 'bot']);
    expect(rows[0]?.decided_at).not.toBeNull();
    expect(rows[1]?.reply_to).toBe(message.id);
  });
});

describe('turns of one conversation never interleave', () => {
  it('20 messages at once, through two inboxes (as two processes): one turn at a time, in order, counters exact', async () => {
    let inFlight = 0;
    let most = 0;
    const decided: string[] = [];
    const counting: Decide = async (message, snapshot) => {
      inFlight++;
      most = Math.max(most, inFlight);
      decided.push(message.id);
      // Yield so that a second turn, were it let in, would overlap this one.
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return {
        kind: 'small_talk',
        reply: `ok ${snapshot.botFailures}`,
        topic: 'thanks',
        lang: message.lang,
        question: message.content,
        sentiment: { score: 0, label: 'neutral' },
        modelCalls: 1,
        // Read from the snapshot and written back: a lost update would show in the final count.
        botFailures: snapshot.botFailures + 1,
      } satisfies Decision;
    };
    const a = inboxWith(counting);
    const b = inboxWith(counting);
    const { id } = await open(a);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? b : a).receive({ conversationId: id, text: `رسالة رقم ${i}`, channelMessageId: `m-${i}` }),
      ),
    );
    expect(most).toBe(1);
    expect(outcomes.every((o) => o.reply && !o.duplicate)).toBe(true);
    const rows = await messagesOf(id);
    const customer = rows.filter((m) => m.role === 'customer');
    expect(customer).toHaveLength(20);
    // Decided in the order they were stored.
    expect(decided).toEqual(customer.map((m) => m.id));
    const replies = rows.filter((m) => m.role === 'bot');
    expect(replies.map((r) => r.reply_to)).toEqual(customer.map((m) => m.id));
    expect(replies.map((r) => r.content)).toEqual(customer.map((_, i) => `ok ${i}`));
    const [conversation] = await deps.db.query<{
      model_calls: number;
      bot_failures: number;
      turn_owner: string | null;
    }>('SELECT model_calls, bot_failures, turn_owner FROM conversations WHERE id = $1', [id]);
    expect(conversation).toEqual({ model_calls: 20, bot_failures: 20, turn_owner: null });
  });
});

describe('the bot never fails a customer', () => {
  it('while a reindex to a remote model runs, customers are handed off (no 500); on local vectors, answered', async () => {
    const before = await activeModel(deps.db);
    try {
      await setActiveModel(deps.db, 'openai:text-embedding-3-large', 1536);
      // A reindex elsewhere is announced through the outbox; set directly here, so said directly.
      deps.kb.indexChanged();
      const { id } = await open();
      const outcome = await deps.inbox.receive({ conversationId: id, text: REFUND_AR });
      expect(outcome.handoff?.reason).toBe('model_unavailable');
      expect(outcome.reply?.content).toMatch(/موظف/);
    } finally {
      if (before) await setActiveModel(deps.db, before.model, before.dims);
      deps.kb.indexChanged();
    }
    const { id } = await open();
    const answered = await deps.inbox.receive({ conversationId: id, text: REFUND_AR });
    expect(answered.handoff).toBeUndefined();
    expect(answered.reply?.citations.length).toBeGreaterThan(0);
  });

  it('an article with script, event-handler, iframe and javascript: markup: the reply carries none of it', async () => {
    const body = [
      'To register your falcon for the desert festival, bring its ring number to any branch.',
      '<script>alert(1)</script><img src=x onerror=alert(1)> <iframe src="https://evil.example/"></iframe>',
      'See [the festival rules](javascript:alert(document.cookie)) or [our page](https://example.com/falcons).',
    ].join(' ');
    await deps.kb.save({
      id: 'falcon-festival',
      title: 'Falcon <b onmouseover=alert(1)>festival</b> registration',
      lang: 'en',
      tags: [],
      team: null,
      questions: ['how do I register my falcon for the festival?'],
      body,
      status: 'published',
    });
    await deps.kb.index('falcon-festival');
    const { id } = await open();
    const outcome = await deps.inbox.receive({
      conversationId: id,
      text: 'how do I register my falcon for the desert festival?',
    });
    const decision = outcome.decision;
    expect(decision?.kind).toBe('answer');
    const reply = outcome.reply?.content ?? '';
    expect(reply).toMatch(/falcon/i);
    expect(reply).not.toMatch(/<\s*(script|img|iframe|b)\b|onerror|onmouseover|javascript:/i);
    expect(reply).toContain('https://example.com/falcons');
    const titles = (outcome.reply?.citations ?? []).map((c) => c.title).join(' ');
    expect(titles).toContain('Falcon');
    expect(titles).not.toMatch(/[<>]|onmouseover/);
  });
});
