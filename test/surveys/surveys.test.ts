/**
 * Surveys after a resolved conversation: CSAT always and NPS/CES on a sample (here every
 * conversation), one question at a time in the customer's language, one answer per survey,
 * late and repeated answers refused politely, channels switched off; on WhatsApp as a list
 * (CSAT, CES) or a number to reply with (NPS, 0–10 being more rows than a list holds).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomerToken } from '../../src/auth/customer-tokens.js';
import type { OutboundMessage } from '../../src/channels/index.js';
import { actionOf } from '../../src/channels/whatsapp/inbound.js';
import { planMessages } from '../../src/channels/whatsapp/outbound.js';
import type { Message } from '../../src/inbox/index.js';
import { testDeps } from '../helpers/backends.js';
import { type App, call } from '../helpers/http.js';

let deps: Awaited<ReturnType<typeof testDeps>>;
let app: App;

beforeAll(async () => {
  deps = await testDeps({ config: { SURVEY_NPS_SAMPLE: '1', SURVEY_CES_SAMPLE: '1', SURVEY_CHANNELS: 'widget' } });
  app = deps.service.app();
}, 180_000);
afterAll(async () => deps?.close());

async function resolvedConversation(channel = 'widget', lang: 'ar' | 'en' = 'ar') {
  const conversation = await deps.inbox.open({ channel, externalId: `visitor:${randomUUID()}`, lang });
  await deps.inbox.receive({ conversationId: conversation.id, text: lang === 'ar' ? 'شكرا لكم' : 'thanks a lot' });
  await deps.inbox.resolve(conversation.id);
  const { token } = await createCustomerToken(deps.db, conversation.id, 1);
  return { id: conversation.id, token };
}

/** The survey questions sent so far (the resolved event is handled by a job: poll with a deadline). */
async function questions(conversationId: string, count: number): Promise<Message[]> {
  const until = Date.now() + 60_000;
  for (;;) {
    const rows = await deps.db.query<Message>(
      "SELECT * FROM messages WHERE conversation_id = $1 AND meta ? 'survey' ORDER BY seq",
      [conversationId],
    );
    if (rows.length >= count || Date.now() > until) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const answer = (c: { id: string; token: string }, body: Record<string, unknown>) =>
  call(app, 'POST', `/v1/conversations/${c.id}/surveys`, { key: c.token, body });

describe('surveys after a resolved conversation', () => {
  it('asks CSAT, then NPS, then CES, in Arabic, and thanks at the end', async () => {
    const c = await resolvedConversation();
    const [csat] = await questions(c.id, 1);
    expect(csat?.meta.survey).toEqual({ kind: 'csat', min: 1, max: 5 });
    expect(csat?.content).toMatch(/رضاك/);
    // Sent on the conversation's channel like any reply (the widget's delivery is its live feed).
    expect(['queued', 'delivered']).toContain(csat?.delivery_status);

    expect((await answer(c, { kind: 'csat', score: 5, comment: 'خدمة ممتازة' })).status).toBe(200);
    const afterCsat = await questions(c.id, 2);
    expect(afterCsat[1]?.meta.survey).toMatchObject({ kind: 'nps', min: 0, max: 10 });
    expect(((await (await answer(c, { kind: 'nps', score: 9 })).json()) as { next: string }).next).toBe('ces');
    expect(((await (await answer(c, { kind: 'ces', score: 6 })).json()) as { next: null }).next).toBeNull();
    const all = await questions(c.id, 4);
    expect(all[3]?.content).toMatch(/شكرًا/);
    const responses = await deps.db.query<{ kind: string; score: number; comment: string | null; channel: string }>(
      'SELECT kind, score, comment, channel FROM survey_responses WHERE conversation_id = $1 ORDER BY created_at',
      [c.id],
    );
    expect(responses).toEqual([
      { kind: 'csat', score: 5, comment: 'خدمة ممتازة', channel: 'widget' },
      { kind: 'nps', score: 9, comment: null, channel: 'widget' },
      { kind: 'ces', score: 6, comment: null, channel: 'widget' },
    ]);
  });

  it('refuses out of range (400), repeated (409, the first stands), late (410) and foreign (404) answers', async () => {
    const c = await resolvedConversation('widget', 'en');
    await questions(c.id, 1);
    const high = await answer(c, { kind: 'csat', score: 6 });
    expect(high.status).toBe(400);
    expect(((await high.json()) as { detail: string }).detail).toContain('from 1 to 5');
    expect((await answer(c, { kind: 'csat', score: 2 })).status).toBe(200);
    const again = await answer(c, { kind: 'csat', score: 5 });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { type: string }).type).toBe('/problems/survey-answered');
    const [kept] = await deps.db.query<{ score: number }>(
      "SELECT score FROM survey_responses WHERE conversation_id = $1 AND kind = 'csat'",
      [c.id],
    );
    expect(kept?.score).toBe(2);

    const other = await resolvedConversation('widget', 'en');
    await questions(other.id, 1);
    const foreign = await call(app, 'POST', `/v1/conversations/${other.id}/surveys`, {
      key: c.token,
      body: { kind: 'csat', score: 4 },
    });
    expect(foreign.status).toBe(404);

    await deps.db.query(
      `UPDATE survey_requests SET expires_at = now() - interval '1 minute' WHERE conversation_id = $1`,
      [other.id],
    );
    const late = await answer(other, { kind: 'csat', score: 4 });
    expect(late.status).toBe(410);
    expect(((await late.json()) as { type: string }).type).toBe('/problems/survey-closed');
  });

  it('a channel with surveys switched off asks nothing', async () => {
    const c = await resolvedConversation('api', 'en');
    // Give the resolved event's subscribers time to run: nothing may appear for this channel.
    await deps.service.platform.events.sweep(0);
    const rows = await questions(c.id, 0);
    expect(rows).toEqual([]);
    const requests = await deps.db.query('SELECT 1 FROM survey_requests WHERE conversation_id = $1', [c.id]);
    expect(requests).toEqual([]);
  });
});

describe('surveys on WhatsApp', () => {
  const outbound = (survey: OutboundMessage['survey'], lang = 'ar'): OutboundMessage => ({
    id: randomUUID(),
    conversationId: '8f0f6b1e-6a51-4c61-9a1f-6a2d3c4b5e6f',
    role: 'bot',
    content: 'ما مدى رضاك عن الخدمة في هذه المحادثة؟',
    lang,
    citations: [],
    contactExternalId: '966500000000',
    decision: null,
    offers: { feedback: false, human: false },
    replyToChannelMessageId: null,
    lastCustomerMessageAt: new Date().toISOString(),
    survey,
  });

  it("CSAT is a list of five scores with the scale's words at its ends; NPS asks for a number", () => {
    const [csat] = planMessages(outbound({ kind: 'csat', min: 1, max: 5 }), {});
    const rows = (
      csat as unknown as { interactive: { action: { sections: { rows: { id: string; title: string }[] }[] } } }
    ).interactive.action.sections[0]?.rows;
    expect(rows?.map((r) => r.id)).toEqual(
      [5, 4, 3, 2, 1].map((s) => `survey:8f0f6b1e-6a51-4c61-9a1f-6a2d3c4b5e6f:csat:${s}`),
    );
    expect(rows?.[0]?.title).toBe('5 · راضٍ جدًا');
    expect(rows?.every((r) => r.title.length <= 24)).toBe(true);
    const [nps] = planMessages(outbound({ kind: 'nps', min: 0, max: 10 }), {});
    expect((nps as unknown as { type: string; text: { body: string } }).type).toBe('text');
    expect((nps as unknown as { text: { body: string } }).text.body).toContain('من 0 إلى 10');
  });

  it('a list reply is read back as the survey answer it names', () => {
    const action = actionOf({
      from: '966500000000',
      id: 'wamid.s1',
      timestamp: '1',
      type: 'interactive',
      interactive: {
        type: 'list_reply',
        list_reply: { id: 'survey:8f0f6b1e-6a51-4c61-9a1f-6a2d3c4b5e6f:ces:7', title: '7 · سهل جدًا' },
      },
    } as never);
    expect(action).toEqual({
      kind: 'survey',
      conversationId: '8f0f6b1e-6a51-4c61-9a1f-6a2d3c4b5e6f',
      survey: 'ces',
      score: 7,
    });
  });
});
