import { randomUUID } from 'node:crypto';
import { createStaff } from '../../src/auth/staff.js';
import type { testDeps } from './backends.js';

type Deps = Awaited<ReturnType<typeof testDeps>>;

/** A small shop's knowledge base, published and indexed: enough for the bot to answer and to miss. */
export const SHOP_ARTICLES = [
  {
    id: 'returns-en',
    title: 'How do I return an item?',
    lang: 'en' as const,
    tags: ['returns'],
    team: 'returns',
    questions: ['can I send back what I bought', 'return policy'],
    body: 'You can return any item within 14 days of delivery. Open your order and press **Return item**; a courier collects it for free.',
  },
  {
    id: 'delivery-en',
    title: 'How long does delivery take?',
    lang: 'en' as const,
    tags: ['delivery'],
    team: 'logistics',
    questions: ['when will my order arrive', 'delivery time to Jeddah'],
    body: 'Orders arrive in 2 to 4 working days in Riyadh, Jeddah and Dammam, and in up to 7 days elsewhere in the Kingdom.',
  },
  {
    id: 'payment-en',
    title: 'Which payment methods do you accept?',
    lang: 'en' as const,
    tags: ['payments'],
    team: 'billing',
    questions: ['can I pay with mada', 'do you take Apple Pay'],
    body: 'We accept mada, Visa, Mastercard, Apple Pay and cash on delivery up to 2,000 riyals.',
  },
  {
    id: 'returns-ar',
    title: 'كيف أرجع منتجاً؟',
    lang: 'ar' as const,
    tags: ['returns'],
    team: 'returns',
    questions: ['أبي أرجع الطلب', 'سياسة الاسترجاع'],
    body: 'يمكنك إرجاع أي منتج خلال 14 يوماً من الاستلام. افتح الطلب واضغط **إرجاع المنتج** وسيستلمه المندوب مجاناً.',
  },
  {
    id: 'delivery-ar',
    title: 'كم يستغرق التوصيل؟',
    lang: 'ar' as const,
    tags: ['delivery'],
    team: 'logistics',
    questions: ['متى يوصل طلبي', 'مدة الشحن لجدة'],
    body: 'يصل الطلب خلال 2 إلى 4 أيام عمل في الرياض وجدة والدمام، وخلال 7 أيام في بقية مناطق المملكة.',
  },
];

export async function loadShop(deps: Deps) {
  for (const a of SHOP_ARTICLES) {
    await deps.kb.save({ ...a, status: 'published' }, { by: 'test' });
    await deps.kb.index(a.id);
  }
}

const PASSWORD = 'a long enough password 123';

export async function signedInStaff(deps: Deps, role: 'agent' | 'editor' = 'agent', name = 'Huda') {
  const staff = await createStaff(deps.db, {
    email: `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@shop.example`,
    name,
    role,
    password: PASSWORD,
    team: null,
  });
  return { id: staff.id, name, email: staff.email, password: PASSWORD };
}

/** A customer asks; the bot's turn runs as on any channel. */
export async function ask(deps: Deps, text: string, options: { intent?: 'human' } = {}) {
  const conversation = await deps.inbox.open({ channel: 'api', externalId: `c-${randomUUID()}` });
  const outcome = await deps.inbox.receive({ conversationId: conversation.id, text, intent: options.intent });
  return { conversationId: conversation.id, outcome };
}

/** An agent takes a handed-off conversation, replies citing an article, and resolves it. */
export async function resolveWithArticle(
  deps: Deps,
  conversationId: string,
  agent: { id: string; name: string },
  articleId: string,
) {
  await deps.inbox.assign(conversationId, agent.id);
  await deps.inbox.reply({ conversationId, author: agent, text: 'Here is how it works.', articleIds: [articleId] });
  await deps.inbox.resolve(conversationId);
}
