/**
 * The WhatsApp channel in the composed service: Meta's webhook (verification, signatures over
 * the raw bytes, payloads stored then handled by a job), every inbound message type through the
 * inbox, status callbacks, and replies sent to a mocked Graph API (msw; any other request fails
 * the test, so nothing reaches the network).
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message as StoredMessage } from '../../src/inbox/index.js';
import { testDeps } from '../helpers/backends.js';
import {
  change,
  eventually,
  type GraphCall,
  graphApi,
  graphError,
  signed,
  statusOf,
  text,
  WA,
  wamid,
  webhook,
} from '../helpers/whatsapp.js';

// The stored row, with the channel's id for a sent message (its status callbacks name it).
type Message = StoredMessage & { delivery_ref: string | null };

const REFUND_AR = 'متى يرجع لي المبلغ اذا رجعت الطلب؟';

// How the mocked Graph API treats sends to some numbers: refuse for good, fail once, or let the
// 24-hour window close (the customer's message made 25 hours old) before failing once.
const behaviour = new Map<string, 'invalid' | 'flaky' | 'window-closes'>();
const failedOnce = new Set<string>();
let deps: Awaited<ReturnType<typeof testDeps>>;

const graph = graphApi(async (call) => {
  const mode = behaviour.get(call.body.to);
  if (mode === 'invalid') return graphError(400, 131030, 'Recipient phone number not in allowed list');
  if ((mode === 'flaky' || mode === 'window-closes') && !failedOnce.has(call.body.to)) {
    failedOnce.add(call.body.to);
    if (mode === 'window-closes') {
      await deps.db.query(
        `UPDATE messages SET created_at = now() - interval '25 hours' WHERE role = 'customer' AND conversation_id IN
           (SELECT c.id FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE ct.external_id = $1)`,
        [call.body.to],
      );
    }
    return graphError(503, 2, 'Service temporarily unavailable');
  }
  return undefined;
});
const server = setupServer(graph.handler);

const STORED_BEFORE_START = '966511000000';

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  deps = await testDeps({ config: WA });
  const imported = await deps.kb.importFolder('knowledge-base');
  expect(imported.failed).toEqual([]);
  // A webhook stored by a process that died before its job ran: start() must handle it.
  await deps.db.query('INSERT INTO whatsapp_webhooks (payload) VALUES ($1)', [
    JSON.stringify(webhook([change(STORED_BEFORE_START, [text('مرحبا')])])),
  ]);
  await deps.service.start();
}, 240_000);
afterAll(async () => {
  await deps?.close();
  server.close();
});

const post = (body: string, init: { headers?: Record<string, string> } = {}) =>
  deps.service.app().request('/webhooks/whatsapp', { ...signed(body), ...init });
const postPayload = (payload: unknown) => post(JSON.stringify(payload));

const messagesOf = (phone: string) =>
  deps.db.query<Message>(
    `SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN contacts ct ON ct.id = c.contact_id
     WHERE ct.external_id = $1 AND c.channel = 'whatsapp' ORDER BY m.seq`,
    [phone],
  );
const sentTo = (phone: string): GraphCall[] => graph.calls.filter((c) => c.body.to === phone);

/** The phone's messages once the bot has answered `customers` messages and each reply is settled. */
async function answered(phone: string, customers = 1, what = 'the reply') {
  return eventually(async () => {
    const rows = await messagesOf(phone);
    const replies = rows.filter((m) => m.role === 'bot');
    const settled = replies.every((m) => m.delivery_status !== 'queued');
    return rows.filter((m) => m.role === 'customer').length >= customers && replies.length >= customers && settled
      ? rows
      : undefined;
  }, `${what} to ${phone}`);
}

let phoneSeq = 0;
const newPhone = () => `9665200${String(++phoneSeq).padStart(5, '0')}`;

describe('webhook verification', () => {
  const verify = (query: string) => deps.service.app().request(`/webhooks/whatsapp?${query}`);

  it('echoes the challenge for the right token', async () => {
    const res = await verify(
      `hub.mode=subscribe&hub.verify_token=${WA.WHATSAPP_VERIFY_TOKEN}&hub.challenge=1158201444`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('1158201444');
  });

  it('refuses a wrong token or mode with a problem', async () => {
    for (const query of [
      'hub.mode=subscribe&hub.verify_token=wrong-token&hub.challenge=1',
      `hub.mode=unsubscribe&hub.verify_token=${WA.WHATSAPP_VERIFY_TOKEN}&hub.challenge=1`,
      'hub.mode=subscribe&hub.challenge=1',
    ]) {
      const res = await verify(query);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await res.json()).type).toBe('/problems/webhook-verification-failed');
    }
  });
});

describe('signed webhooks', () => {
  it('an Arabic text signed over its raw bytes is stored with the profile name and answered, quoting it', async () => {
    const phone = newPhone();
    const id = wamid();
    // Meta sends Arabic as UTF-8, unescaped: the signature is over those bytes.
    const body = JSON.stringify(webhook([change(phone, [text(REFUND_AR, id)], 'سارة')]));
    expect(body).toContain(REFUND_AR);
    const res = await post(body);
    expect(res.status).toBe(200);
    const rows = await answered(phone);
    expect(rows[0]).toMatchObject({ role: 'customer', content: REFUND_AR, channel_message_id: id });
    const [contact] = await deps.db.query<{ name: string }>('SELECT name FROM contacts WHERE external_id = $1', [
      phone,
    ]);
    expect(contact?.name).toBe('سارة');

    const reply = rows.find((m) => m.role === 'bot') as Message;
    expect(reply.meta?.decision).toBe('answer');
    expect(reply.delivery_status).toBe('sent');
    const [call, ...more] = sentTo(phone);
    expect(more).toEqual([]);
    expect(call).toMatchObject({
      version: 'v23.0',
      phoneId: WA.WHATSAPP_PHONE_NUMBER_ID,
      authorization: `Bearer ${WA.WHATSAPP_ACCESS_TOKEN}`,
      body: { messaging_product: 'whatsapp', to: phone, type: 'interactive', context: { message_id: id } },
    });
    expect(reply.delivery_ref).toBe(call?.wamid);
    // An answer: "helpful?" and "talk to a person", in Arabic, with the article's link.
    const interactive = call?.body.interactive as {
      body: { text: string };
      action: { buttons: { reply: { id: string; title: string } }[] };
    };
    expect(interactive.action.buttons.map((b) => b.reply)).toEqual([
      { id: `helpful:${reply.id}:yes`, title: 'مفيد 👍' },
      { id: `helpful:${reply.id}:no`, title: 'غير مفيد' },
      { id: 'human', title: 'التحدث مع موظف' },
    ]);
    expect(interactive.body.text).toContain('https://help.example.com/help/articles/');
    expect(interactive.body.text).not.toContain('**');
  });

  it('a missing or wrong signature is 401 and stores nothing; so is a re-serialised body', async () => {
    const phone = newPhone();
    const payload = webhook([change(phone, [text('مرحبا، أريد إلغاء طلبي')])]);
    const body = JSON.stringify(payload);
    const before = await deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM whatsapp_webhooks');
    const attempts = [
      post(body, { headers: { 'content-type': 'application/json' } }),
      post(body, { headers: signed(body, 'another-secret').headers }),
      post(body, { headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=' } }),
      // Same JSON, other spacing: the signature of the original bytes does not cover it.
      post(JSON.stringify(payload, null, 2), { headers: signed(body).headers }),
      // Same JSON with the Arabic escaped as \uXXXX: other bytes again.
      post(
        body.replace(/[\u0600-\u06FF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
        {
          headers: signed(body).headers,
        },
      ),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(401);
      expect((await res.json()).type).toBe('/problems/invalid-signature');
    }
    const after = await deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM whatsapp_webhooks');
    expect(after[0]?.n).toBe(before[0]?.n);
    await deps.jobs.idle();
    expect(await messagesOf(phone)).toEqual([]);
  });

  it('unreadable payloads get 200 (Meta stops retrying) and nothing is stored, not even their valid parts', async () => {
    const phone = newPhone();
    const half = webhook([change(phone, [text('first, fine')]), change(phone, [{ type: 'text' }])]);
    const broken = (half.entry[0]!.changes[1]!.value as { messages: { from?: string }[] }).messages[0]!;
    delete broken.from;
    const bodies = [
      'this is not json',
      JSON.stringify({ object: 'page', entry: [] }),
      JSON.stringify(half),
      JSON.stringify([1, 2, 3]),
    ];
    for (const body of bodies) {
      const res = await post(body);
      expect(res.status).toBe(200);
    }
    // Other fields of the webhook (template reviews, account updates) are fine but not ours.
    const other = {
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }],
    };
    expect((await postPayload(other)).status).toBe(200);
    await deps.jobs.idle();
    expect(await messagesOf(phone)).toEqual([]);
    const [left] = await deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM whatsapp_webhooks');
    expect(left?.n).toBe(0);
  });

  it('the same wamid delivered twice (and at once) is stored once and answered once', async () => {
    const phone = newPhone();
    const body = JSON.stringify(webhook([change(phone, [text('How long does delivery to Jeddah take?')])]));
    const results = await Promise.all([post(body), post(body)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    await answered(phone);
    expect((await post(body)).status).toBe(200);
    await deps.jobs.idle();
    await eventually(async () => (await deps.db.query('SELECT 1 FROM whatsapp_webhooks')).length === 0, 'drain');
    const rows = await messagesOf(phone);
    expect(rows.filter((m) => m.role === 'customer')).toHaveLength(1);
    expect(rows.filter((m) => m.role === 'bot')).toHaveLength(1);
    expect(sentTo(phone)).toHaveLength(1);
  });

  it('several messages, changes and entries in one POST are all handled', async () => {
    const [a, b] = [newPhone(), newPhone()];
    const payload = webhook(
      [change(a, [text('Hello'), text('How long does delivery to Jeddah take?')], 'Ali')],
      [change(b, [text('السلام عليكم')], 'منى')],
    );
    expect((await postPayload(payload)).status).toBe(200);
    const rowsA = await answered(a, 2, 'both replies');
    const rowsB = await answered(b);
    expect(rowsA.filter((m) => m.role === 'customer').map((m) => m.content)).toEqual([
      'Hello',
      'How long does delivery to Jeddah take?',
    ]);
    expect(rowsB.filter((m) => m.role === 'customer').map((m) => m.content)).toEqual(['السلام عليكم']);
  });

  it('a webhook stored before a crash is handled when the service starts', async () => {
    const rows = await answered(STORED_BEFORE_START);
    expect(rows[0]?.content).toBe('مرحبا');
  });
});

describe('inbound message types', () => {
  it('media, location, contacts, orders and unknown types are stored as what they are, details kept, and the bot asks for text', async () => {
    const phone = newPhone();
    const media = (type: string, extra: Record<string, unknown> = {}) => ({
      type,
      [type]: { id: `media-${type}`, mime_type: 'application/octet-stream', sha256: 'x', ...extra },
    });
    const messages = [
      media('image', { caption: 'صورة الفاتورة', mime_type: 'image/jpeg' }),
      media('audio', { voice: true }),
      media('video'),
      media('document', { filename: 'invoice.pdf', caption: 'الفاتورة' }),
      media('sticker', { animated: false }),
      { type: 'location', location: { latitude: 24.71, longitude: 46.67, name: 'المكتب', address: 'الرياض' } },
      { type: 'contacts', contacts: [{ name: { formatted_name: 'Sara' }, phones: [{ phone: '+966500000000' }] }] },
      { type: 'order', order: { catalog_id: 'cat-1', text: 'طلب', product_items: [{ product_retailer_id: 'p1' }] } },
      { type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] },
    ];
    expect((await postPayload(webhook([change(phone, messages)]))).status).toBe(200);
    const rows = await answered(phone, messages.length, 'every reply');
    const customer = rows.filter((m) => m.role === 'customer');
    expect(customer.map((m) => m.meta?.contentType)).toEqual([
      'image',
      'audio',
      'video',
      'document',
      'sticker',
      'location',
      'contacts',
      'order',
      'unsupported',
    ]);
    expect(customer[0]).toMatchObject({
      content: 'صورة الفاتورة',
      meta: { details: { mediaId: 'media-image', mimeType: 'image/jpeg' } },
    });
    expect(customer[1]?.content).toBe('[audio]');
    expect(customer[3]?.meta?.details).toMatchObject({ filename: 'invoice.pdf' });
    expect(customer[5]?.meta?.details).toMatchObject({ latitude: 24.71, longitude: 46.67 });
    expect(customer[7]?.meta?.details).toMatchObject({ catalogId: 'cat-1' });
    const replies = rows.filter((m) => m.role === 'bot');
    expect(replies.every((m) => m.meta?.decision === 'clarify')).toBe(true);
  });

  it('a reaction or a deletion is not a question: nothing stored, nothing sent; an edit is answered as new text', async () => {
    const phone = newPhone();
    const original = wamid();
    await postPayload(webhook([change(phone, [text('Hello', original)])]));
    await answered(phone);
    const sends = sentTo(phone).length;
    await postPayload(
      webhook([
        change(phone, [
          { type: 'reaction', reaction: { message_id: original, emoji: '👍' } },
          { type: 'revoke', revoke: { original_message_id: original } },
        ]),
      ]),
    );
    await eventually(async () => (await deps.db.query('SELECT 1 FROM whatsapp_webhooks')).length === 0, 'drain');
    await deps.jobs.idle();
    expect((await messagesOf(phone)).filter((m) => m.role === 'customer')).toHaveLength(1);
    expect(sentTo(phone)).toHaveLength(sends);

    const edit = {
      original_message_id: original,
      message: { type: 'text', text: { body: 'How long does delivery to Jeddah take?' } },
    };
    await postPayload(webhook([change(phone, [{ type: 'edit', edit }])]));
    const rows = await answered(phone, 2, 'the answer to the edit');
    const edited = rows.filter((m) => m.role === 'customer')[1];
    expect(edited).toMatchObject({
      content: 'How long does delivery to Jeddah take?',
      meta: { details: { editOf: original } },
    });
  });
});

describe('reply buttons', () => {
  const press = (id: string, title: string) => ({
    type: 'interactive',
    interactive: { type: 'button_reply', button_reply: { id, title } },
  });

  it('"helpful" and "not helpful" rate the answer; "not helpful" offers a person', async () => {
    const phone = newPhone();
    await postPayload(webhook([change(phone, [text(REFUND_AR)])]));
    const reply = (await answered(phone)).find((m) => m.role === 'bot') as Message;
    expect(reply.meta?.decision).toBe('answer');
    const feedback = () =>
      deps.db.query<{ helpful: boolean }>('SELECT helpful FROM message_feedback WHERE message_id = $1', [reply.id]);

    await postPayload(webhook([change(phone, [press(`helpful:${reply.id}:yes`, 'مفيد 👍')])]));
    await eventually(async () => (await feedback())[0]?.helpful === true, 'the rating');
    expect(sentTo(phone)).toHaveLength(1); // nothing more to say to a "helpful"

    await postPayload(webhook([change(phone, [press(`helpful:${reply.id}:no`, 'غير مفيد')])]));
    await eventually(async () => (await feedback())[0]?.helpful === false, 'the new rating');
    const offer = await eventually(async () => sentTo(phone)[1], 'the offer of a person');
    expect(offer.body).toMatchObject({
      type: 'interactive',
      interactive: { action: { buttons: [{ reply: { id: 'human', title: 'التحدث مع موظف' } }] } },
    });
    // Button presses are not customer messages for the bot to answer.
    expect((await messagesOf(phone)).filter((m) => m.role === 'customer')).toHaveLength(1);

    // A rating of someone else's message is ignored.
    const stranger = newPhone();
    await postPayload(webhook([change(stranger, [press(`helpful:${reply.id}:yes`, 'مفيد 👍')])]));
    await eventually(async () => (await deps.db.query('SELECT 1 FROM whatsapp_webhooks')).length === 0, 'drain');
    expect((await feedback())[0]?.helpful).toBe(false);
  });

  it('"talk to a person" hands the conversation off at the customer\'s request', async () => {
    const phone = newPhone();
    await postPayload(webhook([change(phone, [text('Hello')])]));
    await answered(phone);
    await postPayload(webhook([change(phone, [press('human', 'Talk to a person')])]));
    await answered(phone, 2, 'the hand-off notice');
    const [conversation] = await deps.db.query<{ status: string; id: string }>(
      `SELECT c.id, c.status FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE ct.external_id = $1`,
      [phone],
    );
    expect(conversation?.status).toBe('waiting_human');
    const [handoff] = await deps.db.query<{ reason: string }>(
      'SELECT reason FROM handoffs WHERE conversation_id = $1',
      [conversation?.id],
    );
    expect(handoff?.reason).toBe('customer_request');
  });
});

describe('statuses and sending', () => {
  it('status callbacks move a message forward (sent → delivered → read), never back; failed keeps its error', async () => {
    const phone = newPhone();
    await postPayload(webhook([change(phone, [text('Hello')])]));
    const reply = (await answered(phone)).find((m) => m.role === 'bot') as Message;
    const ref = reply.delivery_ref as string;
    const statusOfReply = async () =>
      (await deps.db.query<Message>('SELECT * FROM messages WHERE id = $1', [reply.id]))[0] as Message;
    const report = (...statuses: ReturnType<typeof statusOf>[]) =>
      postPayload(webhook([change(phone, [], undefined, statuses)]));

    await report(statusOf(ref, 'delivered'));
    await eventually(async () => (await statusOfReply()).delivery_status === 'delivered', 'delivered');
    // Read, then a late "delivered" and "sent" in one payload: read stands.
    await report(statusOf(ref, 'read'), statusOf(ref, 'delivered'), statusOf(ref, 'sent'));
    await eventually(async () => (await deps.db.query('SELECT 1 FROM whatsapp_webhooks')).length === 0, 'drain');
    expect((await statusOfReply()).delivery_status).toBe('read');
    const types = await deps.db.query<{ type: string }>(
      `SELECT type FROM events WHERE conversation_id = $1 AND type IN ('message.delivered', 'message.read') ORDER BY id`,
      [reply.conversation_id],
    );
    expect(types.map((t) => t.type)).toEqual(['message.delivered', 'message.delivered', 'message.read']);

    const other = newPhone();
    await postPayload(webhook([change(other, [text('Hello')])]));
    const second = (await answered(other)).find((m) => m.role === 'bot') as Message;
    await postPayload(
      webhook([
        change(other, [], undefined, [
          statusOf(second.delivery_ref as string, 'failed', [{ code: 131047, title: 'Re-engagement message' }]),
        ]),
      ]),
    );
    const failed = await eventually(async () => {
      const [row] = await deps.db.query<Message>('SELECT * FROM messages WHERE id = $1', [second.id]);
      return row?.delivery_status === 'failed' ? row : undefined;
    }, 'failed');
    expect(failed.delivery_error).toBe('WhatsApp error 131047: Re-engagement message');
  });

  it('a send Meta refuses for good is recorded failed at once, after one request', async () => {
    const phone = newPhone();
    behaviour.set(phone, 'invalid');
    await postPayload(webhook([change(phone, [text('Hello')])]));
    const reply = (await answered(phone)).find((m) => m.role === 'bot') as Message;
    expect(reply.delivery_status).toBe('failed');
    expect(reply.delivery_error).toMatch(/HTTP 400, code 131030/);
    expect(sentTo(phone)).toEqual([]);
  });

  it('a send Meta fails for a moment is retried and sent once', async () => {
    const phone = newPhone();
    behaviour.set(phone, 'flaky');
    await postPayload(webhook([change(phone, [text('Hello')])]));
    const reply = (await answered(phone)).find((m) => m.role === 'bot') as Message;
    expect(reply.delivery_status).toBe('sent');
    expect(failedOnce.has(phone)).toBe(true);
    expect(sentTo(phone)).toHaveLength(1);
  });

  it('when the 24-hour window closed before the send, without a template the reply is recorded failed with why', async () => {
    const phone = newPhone();
    behaviour.set(phone, 'window-closes');
    await postPayload(webhook([change(phone, [text('Hello')])]));
    const reply = (await answered(phone)).find((m) => m.role === 'bot') as Message;
    expect(reply.delivery_status).toBe('failed');
    expect(reply.delivery_error).toMatch(/24-hour customer-service window.*WHATSAPP_TEMPLATE_NAME/);
    expect(sentTo(phone)).toEqual([]);
  });
});
