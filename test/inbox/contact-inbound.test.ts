/**
 * Channels that know the customer, not the conversation (WhatsApp): one open conversation per
 * contact, a redelivered channel message id recognised even after its conversation changed,
 * content the bot cannot read answered politely, and later delivery statuses that never go back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../src/channels/index.js';
import { deliveryRecords } from '../../src/channels/index.js';
import type { Message } from '../../src/inbox/index.js';
import { testDeps } from '../helpers/backends.js';

const phone = () => `9665${Math.floor(Math.random() * 1e8)}`;
const sent: string[] = [];
const fake: Channel = {
  name: 'fake-wa',
  async deliver(message) {
    sent.push(message.id);
    return { status: 'sent', channelMessageId: `wamid.out.${message.id}` };
  },
};

let deps: Awaited<ReturnType<typeof testDeps>>;

beforeAll(async () => {
  deps = await testDeps({ channels: [fake] });
  const imported = await deps.kb.importFolder('knowledge-base');
  expect(imported.failed).toEqual([]);
}, 180_000);
afterAll(async () => deps?.close());

const from = (externalId: string, text: string, channelMessageId: string, extra: Record<string, unknown> = {}) =>
  deps.inbox.receiveFrom({
    channel: 'fake-wa',
    contact: { externalId, name: 'خالد' },
    text,
    channelMessageId,
    ...extra,
  });

describe('a contact writing on a channel', () => {
  it('keeps one open conversation per contact, and a resolved one is followed by a new one', async () => {
    const id = phone();
    const first = await from(id, 'كم رسوم التوصيل؟', 'wamid.a1');
    const second = await from(id, 'وهل التوصيل مجاني؟', 'wamid.a2');
    expect(second.message.conversation_id).toBe(first.message.conversation_id);
    await deps.inbox.resolve(first.message.conversation_id);
    const third = await from(id, 'مرحبا', 'wamid.a3');
    expect(third.message.conversation_id).not.toBe(first.message.conversation_id);
    const [contact] = await deps.db.query<{ name: string }>(
      "SELECT name FROM contacts WHERE channel = 'fake-wa' AND external_id = $1",
      [id],
    );
    expect(contact?.name).toBe('خالد');
  });

  it('a redelivered message id is stored once, even after its conversation was resolved', async () => {
    const id = phone();
    const first = await from(id, 'How long does delivery to Jeddah take?', 'wamid.b1');
    await deps.inbox.resolve(first.message.conversation_id);
    const again = await from(id, 'How long does delivery to Jeddah take?', 'wamid.b1');
    expect(again.duplicate).toBe(true);
    expect(again.message.id).toBe(first.message.id);
    expect(again.reply?.id).toBe(first.reply?.id);
    const conversations = await deps.db.query(
      "SELECT c.id FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE ct.channel = 'fake-wa' AND ct.external_id = $1",
      [id],
    );
    expect(conversations).toHaveLength(1);
  });

  it('two deliveries at once of a new contact open one conversation and store the message once', async () => {
    const id = phone();
    const [a, b] = await Promise.all([from(id, 'hello there', 'wamid.c1'), from(id, 'hello there', 'wamid.c1')]);
    expect(a.message.id).toBe(b.message.id);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    const rows = await deps.db.query<Message>('SELECT * FROM messages WHERE conversation_id = $1', [
      a.message.conversation_id,
    ]);
    expect(rows.filter((m) => m.role === 'customer')).toHaveLength(1);
  });

  it("a photo without a caption is stored as what it is and answered with a request to write, in the contact's language", async () => {
    const id = phone();
    await from(id, 'السلام عليكم', 'wamid.d0');
    const photo = await from(id, '', 'wamid.d1', { contentType: 'image', details: { mediaId: 'media-1' } });
    expect(photo.message.content).toBe('[image]');
    expect(photo.message.meta).toMatchObject({ contentType: 'image', details: { mediaId: 'media-1' } });
    expect(photo.reply?.content).toMatch(/الرسائل النصية/);
    expect(photo.reply?.meta).toMatchObject({ decision: 'clarify', clarify: 'unsupported_content' });
    expect(photo.handoff).toBeUndefined();
  });
});

describe('delivery statuses from the channel', () => {
  it('record sent, then delivered and read by the channel id, never backwards, each with an event', async () => {
    const id = phone();
    const { reply } = await from(id, 'How long does delivery to Jeddah take?', 'wamid.e1');
    expect(reply).toBeDefined();
    if (!reply) return;
    const ref = `wamid.out.${reply.id}`;
    const until = Date.now() + 60_000;
    let row: Message | undefined;
    while (Date.now() < until) {
      [row] = await deps.db.query<Message>('SELECT * FROM messages WHERE id = $1', [reply.id]);
      if (row?.delivery_status === 'sent') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(row?.delivery_ref).toBe(ref);
    const records = deliveryRecords(deps.service.platform);
    expect(await records.updateStatus({ channel: 'fake-wa', channelMessageId: ref, status: 'read' })).toBe(true);
    // A late "delivered" after "read" changes nothing.
    await records.updateStatus({ channel: 'fake-wa', channelMessageId: ref, status: 'delivered' });
    [row] = await deps.db.query<Message>('SELECT * FROM messages WHERE id = $1', [reply.id]);
    expect(row?.delivery_status).toBe('read');
    // Another channel's id of the same value is not this message.
    expect(await records.updateStatus({ channel: 'other', channelMessageId: ref, status: 'failed' })).toBe(false);
    const events = await deps.db.query<{ type: string }>(
      "SELECT type FROM events WHERE conversation_id = $1 AND type LIKE 'message.%' AND type <> 'message.created' ORDER BY id",
      [reply.conversation_id],
    );
    expect(events.map((e) => e.type)).toEqual(['message.delivered', 'message.read']);
  });
});
