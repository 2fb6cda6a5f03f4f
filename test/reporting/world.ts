/**
 * The seeded day (2026-01-10, UTC) every report test reads. Seven conversations count (C9 has no
 * customer message, C10 is the day before, C8 two days after); the comments say what each is for.
 */
import type { Db } from '../../src/platform/db/db.js';
import { at, seedArticle, seedContact, seedConversation, seedStaff } from './seed.js';

export async function seedWorld(db: Db) {
  await seedArticle(db, 'refund-timeline', ['billing', 'refunds'], 'billing');
  await seedArticle(db, 'payment-methods', ['billing', 'payments'], 'billing');
  await seedArticle(db, 'delivery-times', ['delivery'], 'logistics');
  const amal = await seedStaff(db, 'أمل');
  const [k1, k2, k3, k4, k5] = [
    await seedContact(db, 'widget'),
    await seedContact(db, 'whatsapp'),
    await seedContact(db, 'widget'),
    await seedContact(db, 'api'),
    await seedContact(db, 'widget'),
  ] as string[];

  // C1 (k1, widget, ar): answered, voted helpful, quiet since → contained; C4 repeats its topic.
  const c1 = await seedConversation(db, {
    contact: k1 as string,
    channel: 'widget',
    lang: 'ar',
    createdAt: at('10:00:00'),
    lastArticle: 'refund-timeline',
  });
  await c1.message({ role: 'customer', at: at('10:00:00'), sentiment: 0 });
  const a1 = await c1.message({
    role: 'bot',
    at: at('10:00:02'),
    decision: 'answer',
    confidence: 0.8,
    article: 'refund-timeline',
  });
  await c1.vote(a1, true, at('10:00:30'));
  await c1.survey('nps', 7);

  // C2 (k2, whatsapp, ar): answered (voted not helpful), then upset → hand-off, Amal replies
  // after 600 s, resolved 25 min after it opened; three suggestions decided, one pending; surveys.
  const c2 = await seedConversation(db, {
    contact: k2 as string,
    channel: 'whatsapp',
    lang: 'ar',
    createdAt: at('10:05:00'),
    status: 'resolved',
    team: 'billing',
    assignedTo: amal,
    resolvedAt: at('10:30:00'),
    lastArticle: 'payment-methods',
  });
  await c2.message({ role: 'customer', at: at('10:05:00'), sentiment: 0 });
  const a2 = await c2.message({
    role: 'bot',
    at: at('10:05:04'),
    decision: 'answer',
    confidence: 0.7,
    article: 'payment-methods',
  });
  await c2.vote(a2, false, at('10:05:30'));
  const q2 = await c2.message({ role: 'customer', at: at('10:06:00'), sentiment: -0.8 });
  await c2.message({ role: 'bot', at: at('10:06:01'), decision: 'handoff', confidence: 0.3 });
  await c2.handoff({
    at: at('10:06:01'),
    reason: 'negative_sentiment',
    confidence: 0.3,
    sentiment: -0.8,
    team: 'billing',
    messageId: q2,
    candidates: [{ articleId: 'payment-methods', score: 0.7 }],
  });
  await c2.message({ role: 'agent', at: at('10:10:00'), author: amal, internal: true, content: 'note' });
  await c2.message({ role: 'agent', at: at('10:16:01'), author: amal });
  for (const [outcome, distance] of [['accepted'], ['edited', 10], ['rejected'], [null]] as const) {
    await c2.suggestion(q2, outcome, distance);
  }
  await c2.survey('csat', 5);
  await c2.survey('nps', 9);
  await c2.survey('ces', 2);

  // C3 (k3, widget, en): asks for a person at once; nobody has replied yet.
  const c3 = await seedConversation(db, {
    contact: k3 as string,
    channel: 'widget',
    lang: 'en',
    createdAt: at('11:00:00'),
    status: 'waiting_human',
    team: 'general',
  });
  const q3 = await c3.message({ role: 'customer', at: at('11:00:00'), sentiment: 0 });
  await c3.message({ role: 'bot', at: at('11:00:01'), decision: 'handoff', confidence: 0 });
  await c3.handoff({ at: at('11:00:01'), reason: 'customer_request', team: 'general', messageId: q3 });

  // C4 (k1 again, widget, ar): same topic as C1 two hours later (so C1 is no first-contact
  // resolution); a not-helpful answer, a complaint, a low-confidence hand-off, Amal after 120 s.
  const c4 = await seedConversation(db, {
    contact: k1 as string,
    channel: 'widget',
    lang: 'ar',
    createdAt: at('12:00:00'),
    status: 'resolved',
    team: 'billing',
    assignedTo: amal,
    resolvedAt: at('12:10:00'),
    lastArticle: 'refund-timeline',
  });
  await c4.message({ role: 'customer', at: at('12:00:00'), sentiment: 0 });
  const a4 = await c4.message({
    role: 'bot',
    at: at('12:00:03'),
    decision: 'answer',
    confidence: 0.9,
    article: 'refund-timeline',
  });
  await c4.vote(a4, false, at('12:00:40'));
  const q4 = await c4.message({ role: 'customer', at: at('12:01:00'), sentiment: -0.7 });
  await c4.message({ role: 'bot', at: at('12:01:02'), decision: 'handoff', confidence: 0.4 });
  await c4.handoff({
    at: at('12:01:02'),
    reason: 'low_confidence',
    confidence: 0.4,
    sentiment: -0.7,
    team: 'billing',
    messageId: q4,
    candidates: [
      { articleId: 'refund-timeline', score: 0.4 },
      { articleId: 'payment-methods', score: 0.2 },
    ],
    question: '=HYPERLINK("http://evil") وين فلوسي',
  });
  await c4.message({ role: 'agent', at: at('12:03:02'), author: amal });
  await c4.survey('csat', 2);
  await c4.survey('nps', 6);
  await c4.survey('ces', 5);

  // C5 (k2 again, whatsapp, ar): same topic as C2; a complaint the bot answered, closed by the
  // customer 5 min later → contained, and k2's second complaint (a repeated complaint).
  const c5 = await seedConversation(db, {
    contact: k2 as string,
    channel: 'whatsapp',
    lang: 'ar',
    createdAt: at('13:00:00'),
    status: 'resolved',
    resolvedAt: at('13:05:00'),
    lastArticle: 'payment-methods',
  });
  await c5.message({ role: 'customer', at: at('13:00:00'), sentiment: -0.7 });
  await c5.message({
    role: 'bot',
    at: at('13:00:02'),
    decision: 'answer',
    confidence: 0.65,
    article: 'payment-methods',
  });
  await c5.survey('csat', 4);
  await c5.survey('nps', 10);

  // C6 (k4, api, en): the bot asked a clarifying question and heard nothing → not contained.
  const c6 = await seedConversation(db, {
    contact: k4 as string,
    channel: 'api',
    lang: 'en',
    createdAt: at('14:00:00'),
  });
  await c6.message({ role: 'customer', at: at('14:00:00'), sentiment: 0 });
  await c6.message({ role: 'bot', at: at('14:00:01'), decision: 'clarify', confidence: 0.2 });

  // C7 (k5, widget, en): answered, helpful → contained; C8 two days later on the same topic.
  const c7 = await seedConversation(db, {
    contact: k5 as string,
    channel: 'widget',
    lang: 'en',
    createdAt: at('15:00:00'),
    lastArticle: 'delivery-times',
  });
  await c7.message({ role: 'customer', at: at('15:00:00'), sentiment: 0.2 });
  const a7 = await c7.message({
    role: 'bot',
    at: at('15:00:02'),
    decision: 'answer',
    confidence: 0.85,
    article: 'delivery-times',
  });
  await c7.vote(a7, true, at('15:00:20'));

  // C8: outside the period (counts only as C7's repeat).
  const c8 = await seedConversation(db, {
    contact: k5 as string,
    channel: 'widget',
    lang: 'en',
    createdAt: at('10:00:00', '2026-01-12'),
    lastArticle: 'delivery-times',
  });
  await c8.message({ role: 'customer', at: at('10:00:00', '2026-01-12') });
  // C9: opened, nothing said → not a conversation to count.
  await seedConversation(db, { contact: k4 as string, channel: 'api', lang: 'en', createdAt: at('16:00:00') });
  // C10: the day before, with a survey answer that must not count.
  const c10 = await seedConversation(db, {
    contact: k3 as string,
    channel: 'widget',
    lang: 'en',
    createdAt: at('09:00:00', '2026-01-09'),
    status: 'resolved',
    resolvedAt: at('09:10:00', '2026-01-09'),
  });
  await c10.message({ role: 'customer', at: at('09:00:00', '2026-01-09') });
  await c10.survey('csat', 1);

  return { amal, c1: c1.id, c2: c2.id, c3: c3.id, c4: c4.id, c5: c5.id, c6: c6.id, c7: c7.id };
}
