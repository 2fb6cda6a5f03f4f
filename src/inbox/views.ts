import type { DecisionKind } from '../bot/index.js';
import type { HandoffRecord } from './handoffs.js';
import type { Conversation, Message } from './store.js';

/** The public (camelCase) shape of a message: what the API returns and what events carry. */
export const messageView = (m: Message) => ({
  id: m.id,
  conversationId: m.conversation_id,
  role: m.role,
  content: m.content,
  lang: m.lang,
  channelMessageId: m.channel_message_id,
  replyTo: m.reply_to ?? null,
  sentiment: m.sentiment_score === null ? null : { score: Number(m.sentiment_score), label: String(m.sentiment_label) },
  confidence: m.confidence === null ? null : Number(m.confidence),
  citations: m.citations ?? [],
  decision: (m.meta?.decision as DecisionKind | undefined) ?? null,
  handoffReason: (m.meta?.handoff as string | undefined) ?? null,
  deliveryStatus: m.delivery_status ?? null,
  /** An internal note: never sent, never on the customer's feed. */
  internal: Boolean(m.internal),
  /** The agent who wrote it, as the customer sees them (their name). */
  author: (m.meta?.author as { id: string; name: string } | undefined) ?? null,
  /** A survey question: which survey and its scale. */
  survey: (m.meta?.survey as { kind: 'csat' | 'nps' | 'ces'; min: number; max: number } | undefined) ?? null,
  createdAt: new Date(m.created_at).toISOString(),
});

export type MessageView = ReturnType<typeof messageView>;

/** What a customer sees of a message: no scores, no hand-off internals. */
export const customerMessageView = (m: Message) => {
  const view = messageView(m);
  return {
    ...view,
    sentiment: null,
    confidence: null,
    handoffReason: null,
    author: view.author ? { id: null, name: view.author.name } : null,
  };
};

/** Whether a customer may see this message at all: no system lines, no internal notes. */
export const customerSees = (m: Message) => m.role !== 'system' && !m.internal;

export const conversationView = (c: Conversation) => ({
  id: c.id,
  channel: c.channel,
  status: c.status,
  lang: c.lang,
  team: c.team,
  priority: c.priority,
  assignedTo: c.assigned_to,
  createdAt: new Date(c.created_at).toISOString(),
  updatedAt: new Date(c.updated_at).toISOString(),
  handedOffAt: c.handed_off_at ? new Date(c.handed_off_at).toISOString() : null,
  resolvedAt: c.resolved_at ? new Date(c.resolved_at).toISOString() : null,
});

export const handoffView = (h: HandoffRecord) => ({
  id: h.id,
  conversationId: h.conversation_id,
  messageId: h.message_id,
  reason: h.reason,
  confidence: h.confidence === null ? null : Number(h.confidence),
  sentiment: h.sentiment === null ? null : Number(h.sentiment),
  team: h.team,
  priority: h.priority,
  createdAt: new Date(h.created_at).toISOString(),
});
