/**
 * Outbound delivery through the channel contract: every bot message the inbox stores is handed
 * to its conversation's channel by a job, retried when the channel fails, and its outcome is
 * recorded on the message with an event. A fake channel stands in for WhatsApp.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, OutboundMessage } from '../../src/channels/index.js';
import type { Message } from '../../src/inbox/index.js';
import { testDeps } from '../helpers/backends.js';

// What the fake channels were asked to send, and how many more sends each should fail.
const sent: OutboundMessage[] = [];
const failuresLeft = new Map<string, number>();

const flaky: Channel = {
  name: 'flaky',
  async deliver(message) {
    const left = failuresLeft.get(message.id) ?? 2;
    failuresLeft.set(message.id, left - 1);
    if (left > 0) throw new Error('gateway timeout');
    sent.push(message);
    return { status: 'sent', channelMessageId: `wamid.${message.id}` };
  },
};
const down: Channel = {
  name: 'down',
  async deliver() {
    throw new Error('the number is not on WhatsApp');
  },
};

let deps: Awaited<ReturnType<typeof testDeps>>;

beforeAll(async () => {
  deps = await testDeps({ channels: [flaky, down] });
  const imported = await deps.kb.importFolder('knowledge-base');
  expect(imported.failed).toEqual([]);
}, 180_000);
afterAll(async () => deps?.close());

/** Polls the message until its delivery is decided: jobs run apart from the call that stored it. */
async function settled(id: string, ms = 60_000): Promise<Message> {
  const until = Date.now() + ms;
  for (;;) {
    const [row] = await deps.db.query<Message>('SELECT * FROM messages WHERE id = $1', [id]);
    if (row && row.delivery_status !== 'queued') return row;
    if (Date.now() > until) throw new Error(`message ${id} still ${row?.delivery_status} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const eventsOf = (conversationId: string) =>
  deps.db.query<{ type: string; data: Record<string, unknown> }>(
    'SELECT type, data FROM events WHERE conversation_id = $1 ORDER BY id',
    [conversationId],
  );

describe('delivery on a channel', () => {
  it('sends the bot reply to the contact through its channel, retrying a failing send, and records it', async () => {
    const phone = '+966500000001';
    const conversation = await deps.inbox.open({ channel: 'flaky', externalId: phone, lang: 'ar' });
    const outcome = await deps.inbox.receive({
      conversationId: conversation.id,
      text: 'متى يرجع لي المبلغ اذا رجعت الطلب؟',
      channelMessageId: `wamid.${randomUUID()}`,
    });
    const reply = outcome.reply;
    expect(reply?.role).toBe('bot');
    if (!reply) return;
    expect(reply.delivery_status).toBe('queued');

    const row = await settled(reply.id);
    expect(row.delivery_status).toBe('sent');
    expect(row.delivered_at).not.toBeNull();
    // Two failed sends, then one that went through: the contact got the reply once.
    const toContact = sent.filter((m) => m.id === reply.id);
    expect(toContact).toHaveLength(1);
    expect(toContact[0]).toMatchObject({
      conversationId: conversation.id,
      role: 'bot',
      content: reply.content,
      lang: 'ar',
      contactExternalId: phone,
    });
    expect(toContact[0]?.citations.length).toBeGreaterThan(0);

    const events = await eventsOf(conversation.id);
    expect(events.filter((e) => e.type === 'message.delivered').map((e) => e.data.id)).toEqual([reply.id]);
    // The customer's own message is not sent back to them.
    expect(sent.some((m) => m.id === outcome.message.id)).toBe(false);
  });

  it('a channel that keeps failing: the message is recorded failed, with the reason, after its attempts', async () => {
    const conversation = await deps.inbox.open({ channel: 'down', externalId: '+966500000002', lang: 'en' });
    const outcome = await deps.inbox.receive({
      conversationId: conversation.id,
      text: 'How long does delivery to Jeddah take?',
    });
    const reply = outcome.reply;
    expect(reply).toBeDefined();
    if (!reply) return;
    const row = await settled(reply.id, 120_000);
    expect(row.delivery_status).toBe('failed');
    expect(row.delivery_error).toContain('not on WhatsApp');
    const failed = (await eventsOf(conversation.id)).filter((e) => e.type === 'message.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.data.error).toContain('not on WhatsApp');
  }, 180_000);
});
