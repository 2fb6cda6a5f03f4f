/**
 * The WhatsApp channel's pure parts: Markdown as WhatsApp text, splitting at 4096 characters,
 * the requests a reply becomes (buttons, quotes, the 24-hour window, templates), how each
 * inbound message type is read, payload checks, signatures and the send rate.
 */
import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/channels/index.js';
import { DeliveryRefused } from '../../src/channels/index.js';
import { citationLines, splitText, toWhatsAppText } from '../../src/channels/whatsapp/format.js';
import { tokenBucket } from '../../src/channels/whatsapp/graph-client.js';
import { actionOf, statusUpdateOf } from '../../src/channels/whatsapp/inbound.js';
import { planMessages } from '../../src/channels/whatsapp/outbound.js';
import { parseWebhook, WaMessageSchema } from '../../src/channels/whatsapp/payload.js';
import { signatureOf, validSignature } from '../../src/channels/whatsapp/signature.js';
import { change, text, WA, webhook } from '../helpers/whatsapp.js';

describe('Markdown as WhatsApp text', () => {
  it('bold, italic, strike, headings, lists, quotes, links, code', () => {
    const md = [
      '## طرق الدفع',
      '',
      'ندعم **مدى** و*فيزا* و~~شيك~~.',
      '',
      '- بطاقة *ائتمان*',
      '  - نقداً',
      '* تابي',
      '1. افتح [الطلبات](https://example.com/orders)',
      '2) اختر `إرجاع`',
      '> ملاحظة مهمة',
      '---',
      'راسلنا: <mailto:help@example.com> أو [https://example.com](https://example.com)',
    ].join('\n');
    expect(toWhatsAppText(md)).toBe(
      [
        '*طرق الدفع*',
        '',
        'ندعم *مدى* و_فيزا_ و~شيك~.',
        '',
        '• بطاقة _ائتمان_',
        '  ◦ نقداً',
        '• تابي',
        '1. افتح الطلبات (https://example.com/orders)',
        '2. اختر `إرجاع`',
        '> ملاحظة مهمة',
        '',
        'راسلنا: help@example.com أو https://example.com',
      ].join('\n'),
    );
  });

  it('no tables: each row becomes a line, the header bold', () => {
    const md = '| Plan | Price |\n|------|------:|\n| Basic | 10 SAR |\n| **Pro** | 25 SAR |';
    expect(toWhatsAppText(md)).toBe('*Plan · Price*\nBasic · 10 SAR\n*Pro* · 25 SAR');
  });

  it('code blocks stay verbatim; escapes and entities are undone; a bold heading is not doubled', () => {
    expect(toWhatsAppText('```\n**not bold**\n```')).toBe('```\n**not bold**\n```');
    expect(toWhatsAppText('1 \\* 2 &lt; 3 &amp; 4')).toBe('1 * 2 < 3 & 4');
    expect(toWhatsAppText('# **Returns**')).toBe('*Returns*');
    expect(toWhatsAppText('__bold__ and _italic_')).toBe('*bold* and _italic_');
  });

  it('citations: titles with article links under the PUBLIC_URL, once each, in the reply language', () => {
    const citations = [
      { articleId: 'refund-policy', title: 'سياسة الاسترجاع' },
      { articleId: 'refund-policy', title: 'سياسة الاسترجاع' },
      { articleId: 'shipping', title: 'الشحن' },
    ];
    expect(citationLines(citations, 'ar', 'https://help.example.com/')).toBe(
      'المصادر:\n• سياسة الاسترجاع (https://help.example.com/help/articles/refund-policy)\n• الشحن (https://help.example.com/help/articles/shipping)',
    );
    expect(citationLines(citations.slice(2), 'en', undefined)).toBe('Sources:\n• الشحن');
    expect(citationLines([], 'en', 'https://x.example')).toBe('');
  });
});

describe('splitting long replies', () => {
  it('keeps short text whole', () => {
    expect(splitText('مرحبا', 4096)).toEqual(['مرحبا']);
  });

  it('cuts at paragraph breaks, within the limit, losing nothing', () => {
    const paragraph = (n: number) => `${'كلمة '.repeat(150).trim()} ${n}.`;
    const text = Array.from({ length: 12 }, (_, i) => paragraph(i)).join('\n\n');
    const parts = splitText(text, 4096);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    for (const p of parts) expect(p).toMatch(/\d\.$/); // every part ends where a paragraph did
    expect(parts.join('\n\n')).toBe(text);
  });

  it('falls back to sentence ends, then spaces, then a hard cut that never halves an emoji', () => {
    const sentences = Array.from({ length: 80 }, (_, i) => `This is sentence number ${i} of a long answer.`).join(' ');
    const parts = splitText(sentences, 500);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(500);
      expect(p.endsWith('.')).toBe(true);
    }
    const words = 'word '.repeat(300);
    for (const p of splitText(words, 100)) expect(p.length).toBeLessThanOrEqual(100);
    const emoji = '😀'.repeat(100); // 200 UTF-16 units, no break anywhere
    const cut = splitText(emoji, 51);
    expect(cut.join('')).toBe(emoji);
    for (const p of cut) expect(p.length).toBeLessThanOrEqual(51);
    for (const p of cut) expect(p).not.toMatch(/[\uD800-\uDBFF]$/);
  });
});

const NOW = Date.parse('2026-12-02T12:00:00Z');
function outbound(over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: '0a4e1c1e-8a43-4b39-9a44-3b8f0c9d2b11',
    conversationId: 'c',
    role: 'bot',
    content: 'يمكنك **إرجاع** الطلب خلال 14 يوماً.',
    lang: 'ar',
    citations: [{ articleId: 'returns', title: 'الإرجاع' }],
    contactExternalId: '966500000001',
    decision: 'answer',
    offers: { feedback: false, human: false },
    replyToChannelMessageId: 'wamid.customer1',
    lastCustomerMessageAt: new Date(NOW - 60_000).toISOString(),
    ...over,
  };
}
const settings = { publicUrl: 'https://help.example.com' };

describe('the requests a reply becomes', () => {
  it('a text quoting the customer, with the article link, no preview', () => {
    const [request, ...rest] = planMessages(outbound(), settings, NOW);
    expect(rest).toEqual([]);
    expect(request).toEqual({
      to: '966500000001',
      type: 'text',
      context: { message_id: 'wamid.customer1' },
      text: {
        body: 'يمكنك *إرجاع* الطلب خلال 14 يوماً.\n\nالمصادر:\n• الإرجاع (https://help.example.com/help/articles/returns)',
        preview_url: false,
      },
    });
  });

  it('reply buttons in the message language: helpful / not helpful / a person, ids the webhook reads back', () => {
    const message = outbound({ offers: { feedback: true, human: true } });
    const [request] = planMessages(message, settings, NOW);
    expect(request?.type).toBe('interactive');
    const interactive = request?.interactive as {
      body: { text: string };
      action: { buttons: { reply: { id: string; title: string } }[] };
    };
    expect(interactive.body.text).toContain('*إرجاع*');
    expect(interactive.action.buttons.map((b) => b.reply)).toEqual([
      { id: `helpful:${message.id}:yes`, title: 'مفيد 👍' },
      { id: `helpful:${message.id}:no`, title: 'غير مفيد' },
      { id: 'human', title: 'التحدث مع موظف' },
    ]);
    const en = planMessages(outbound({ lang: 'en', offers: { feedback: false, human: true } }), settings, NOW);
    const titles = (en[0]!.interactive as typeof interactive).action.buttons.map((b) => b.reply.title);
    expect(titles).toEqual(['Talk to a person']);
    for (const t of titles) expect(t.length).toBeLessThanOrEqual(20);
    expect(request?.context).toEqual({ message_id: 'wamid.customer1' });
  });

  it('a text too long for a button body goes first (split), then a short question with the buttons', () => {
    const long = Array.from({ length: 60 }, (_, i) => `فقرة رقم ${i}: ${'تفاصيل '.repeat(20)}`).join('\n\n');
    const requests = planMessages(outbound({ content: long, offers: { feedback: true, human: true } }), settings, NOW);
    expect(long.length).toBeGreaterThan(4096);
    const texts = requests.filter((r) => r.type === 'text');
    expect(texts.length).toBeGreaterThanOrEqual(2);
    for (const t of texts) expect((t.text as { body: string }).body.length).toBeLessThanOrEqual(4096);
    expect(texts[0]?.context).toEqual({ message_id: 'wamid.customer1' });
    expect(texts[1]?.context).toBeUndefined();
    const last = requests.at(-1);
    expect(last?.type).toBe('interactive');
    expect((last!.interactive as { body: { text: string } }).body.text).toBe('هل كانت الإجابة مفيدة؟');
  });

  it('outside the 24-hour window: the template in the reply language, or a refusal naming the fix', () => {
    const old = outbound({ lastCustomerMessageAt: new Date(NOW - 25 * 3600_000).toISOString(), lang: 'en' });
    expect(() => planMessages(old, settings, NOW)).toThrow(DeliveryRefused);
    expect(() => planMessages(old, settings, NOW)).toThrow(/24-hour.*WHATSAPP_TEMPLATE_NAME/);
    const template = { name: 'reply_waiting', languages: ['ar', 'en_US'] };
    const [request, ...rest] = planMessages(old, { ...settings, template }, NOW);
    expect(rest).toEqual([]);
    expect(request).toMatchObject({
      to: '966500000001',
      type: 'template',
      template: { name: 'reply_waiting', language: { code: 'en_US' } },
    });
    const param = (request!.template as { components: { parameters: { text: string }[] }[] }).components[0]
      ?.parameters[0]?.text;
    expect(param).not.toMatch(/\n|\t| {5}/);
    // Just inside the window: still a normal message; no customer message at all: outside.
    const inside = outbound({ lastCustomerMessageAt: new Date(NOW - 24 * 3600_000 + 1000).toISOString() });
    expect(planMessages(inside, settings, NOW)[0]?.type).toBe('text');
    expect(() => planMessages(outbound({ lastCustomerMessageAt: null }), settings, NOW)).toThrow(DeliveryRefused);
  });
});

const msg = (m: Record<string, unknown>) => WaMessageSchema.parse({ from: '966500000009', id: 'wamid.x', ...m });

describe('reading inbound messages', () => {
  it('text, and our buttons: a person, helpful yes/no; a template quick reply as its text', () => {
    expect(actionOf(msg(text('السلام عليكم')))).toEqual({
      kind: 'receive',
      message: { text: 'السلام عليكم', channelMessageId: 'wamid.x' },
    });
    const press = (id: string, title: string) =>
      msg({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } });
    expect(actionOf(press('human', 'التحدث مع موظف'))).toMatchObject({
      kind: 'receive',
      message: { intent: 'human', text: 'التحدث مع موظف' },
    });
    const id = '0a4e1c1e-8a43-4b39-9a44-3b8f0c9d2b11';
    expect(actionOf(press(`helpful:${id}:yes`, 'مفيد 👍'))).toEqual({ kind: 'rate', messageId: id, helpful: true });
    expect(actionOf(press(`helpful:${id}:no`, 'غير مفيد'))).toEqual({ kind: 'rate', messageId: id, helpful: false });
    // A forged id is not a rating.
    expect(actionOf(press('helpful:1 OR 1=1:yes', 'x'))).toMatchObject({ kind: 'receive' });
    const list = msg({
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: 'human', title: 'Agent' } },
    });
    expect(actionOf(list)).toMatchObject({ kind: 'receive', message: { intent: 'human' } });
    expect(actionOf(msg({ type: 'button', button: { payload: 'human', text: 'Talk to a person' } }))).toMatchObject({
      kind: 'receive',
      message: { intent: 'human' },
    });
    expect(actionOf(msg({ type: 'button', button: { payload: 'STOP', text: 'Stop promotions' } }))).toEqual({
      kind: 'receive',
      message: { text: 'Stop promotions', channelMessageId: 'wamid.x', details: { buttonId: 'STOP' } },
    });
  });

  it('every other type with its content type, caption as text, details kept', () => {
    const media = { id: 'media-1', mime_type: 'image/jpeg', sha256: 'abc', caption: 'الفاتورة' };
    expect(actionOf(msg({ type: 'image', image: media }))).toEqual({
      kind: 'receive',
      message: {
        text: 'الفاتورة',
        contentType: 'image',
        details: { mediaId: 'media-1', mimeType: 'image/jpeg' },
        channelMessageId: 'wamid.x',
      },
    });
    for (const type of ['audio', 'video', 'document', 'sticker'] as const) {
      const action = actionOf(msg({ type, [type]: { id: `m-${type}`, mime_type: 'x/y', voice: type === 'audio' } }));
      expect(action).toMatchObject({ kind: 'receive', message: { contentType: type, text: '' } });
      expect(action.kind === 'receive' && action.message.details?.mediaId).toBe(`m-${type}`);
    }
    const location = { latitude: 24.7136, longitude: 46.6753, name: 'المكتب', address: 'الرياض' };
    expect(actionOf(msg({ type: 'location', location }))).toMatchObject({
      kind: 'receive',
      message: { contentType: 'location', text: 'المكتب, الرياض', details: location },
    });
    expect(
      actionOf(msg({ type: 'contacts', contacts: [{ name: { formatted_name: 'Sara' }, phones: [] }] })),
    ).toMatchObject({ kind: 'receive', message: { contentType: 'contacts' } });
    expect(
      actionOf(msg({ type: 'order', order: { catalog_id: 'cat', text: 'please', product_items: [{ quantity: 1 }] } })),
    ).toMatchObject({
      kind: 'receive',
      message: { contentType: 'order', text: 'please', details: { catalogId: 'cat' } },
    });
    expect(
      actionOf(msg({ type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] })),
    ).toMatchObject({
      kind: 'receive',
      message: { contentType: 'unsupported', details: { type: 'unsupported', errorCode: 131051 } },
    });
    expect(actionOf(msg({ type: 'poll_v9' }))).toMatchObject({
      kind: 'receive',
      message: { contentType: 'unsupported' },
    });
    // An edit is answered as the new text; a reaction or a deletion is not a question.
    const edit = { original_message_id: 'wamid.old', message: { type: 'text', text: { body: 'متى يصل طلبي؟' } } };
    expect(actionOf(msg({ type: 'edit', edit }))).toEqual({
      kind: 'receive',
      message: { text: 'متى يصل طلبي؟', channelMessageId: 'wamid.x', details: { editOf: 'wamid.old' } },
    });
    expect(actionOf(msg({ type: 'reaction', reaction: { message_id: 'wamid.y', emoji: '👍' } }))).toMatchObject({
      kind: 'ignore',
    });
    expect(actionOf(msg({ type: 'revoke', revoke: { original_message_id: 'wamid.y' } }))).toMatchObject({
      kind: 'ignore',
    });
  });

  it('statuses: sent, delivered, read, failed with its code and title; others ignored', () => {
    const s = (status: string, errors?: { code: number; title: string }[]) => ({
      id: 'wamid.out',
      status,
      ...(errors ? { errors } : {}),
    });
    expect(statusUpdateOf(s('read'))).toEqual({ channel: 'whatsapp', channelMessageId: 'wamid.out', status: 'read' });
    expect(statusUpdateOf(s('failed', [{ code: 131047, title: 'Re-engagement message' }]))).toMatchObject({
      status: 'failed',
      error: 'WhatsApp error 131047: Re-engagement message',
    });
    expect(statusUpdateOf(s('deleted'))).toBeUndefined();
  });
});

describe('payload checks', () => {
  it('a whole payload parses, or is refused whole with a reason that holds no values', () => {
    const ok = parseWebhook(webhook([change('966500000001', [text('hi')])]), WA.WHATSAPP_PHONE_NUMBER_ID);
    expect(ok).toMatchObject({ ok: true });
    const bad = webhook([change('966500000001', [text('hi')]), change('966500000002', [{ type: 'text' }])]);
    (bad.entry[0]!.changes[1]!.value as { messages: { id: unknown }[] }).messages[0]!.id = 12345;
    const refused = parseWebhook(bad, WA.WHATSAPP_PHONE_NUMBER_ID);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.reason).toContain('entry.0.changes.1.value.messages.0.id');
      expect(refused.reason).not.toContain('12345');
      expect(refused.reason).not.toContain('966500000002');
    }
    expect(parseWebhook({ object: 'page', entry: [] }, '1').ok).toBe(false);
    expect(parseWebhook('[]', '1').ok).toBe(false);
    const other = parseWebhook(
      { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'account_update', value: {} }] }] },
      '1',
    );
    expect(other).toEqual({ ok: true, values: [], skipped: ['field account_update'] });
    const notOurs = parseWebhook(webhook([change('966500000001', [text('hi')])]), '999');
    expect(notOurs).toMatchObject({ ok: true, values: [] });
  });

  it('signatures are over the exact bytes', () => {
    const body = Buffer.from(JSON.stringify({ text: 'مرحبا' }));
    expect(validSignature('s', body, signatureOf('s', body))).toBe(true);
    expect(validSignature('s', body, signatureOf('s', body).toUpperCase().replace('SHA256', 'sha256'))).toBe(true);
    expect(validSignature('s', body, signatureOf('t', body))).toBe(false);
    expect(validSignature('s', body, undefined)).toBe(false);
    expect(validSignature('s', body, 'sha256=abc')).toBe(false);
    const respaced = Buffer.from(JSON.stringify({ text: 'مرحبا' }, null, 1));
    expect(validSignature('s', respaced, signatureOf('s', body))).toBe(false);
  });
});

describe('send rate', () => {
  it('lets a second’s worth through at once, then one per interval', async () => {
    let clock = 0;
    const bucket = tokenBucket(5, () => clock);
    for (let i = 0; i < 5; i++) await bucket.take();
    let sixth = false;
    const waiting = bucket.take().then(() => {
      sixth = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(sixth).toBe(false);
    clock += 200; // one token's worth at 5/s
    await waiting;
    expect(sixth).toBe(true);
  });
});
