import type { PendingChoice } from '../bot/decision.js';
import type { Queryable } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';
import type { Lang } from '../text/language.js';

export type ConversationStatus = 'bot' | 'waiting_human' | 'assigned' | 'resolved' | 'closed';
export type MessageRole = 'customer' | 'bot' | 'agent' | 'system';

export interface Conversation {
  id: string;
  contact_id: string;
  channel: string;
  status: ConversationStatus;
  lang: Lang | null;
  team: string | null;
  priority: number;
  assigned_to: string | null;
  opened_by_key: string | null;
  model_calls: number;
  bot_failures: number;
  last_article_id: string | null;
  turn_owner: string | null;
  turn_lease_until: Date | null;
  created_at: Date;
  updated_at: Date;
  handed_off_at: Date | null;
  resolved_at: Date | null;
}

export interface Message {
  id: string;
  conversation_id: string;
  seq: number;
  role: MessageRole;
  content: string;
  lang: string | null;
  channel_message_id: string | null;
  sentiment_score: number | null;
  sentiment_label: string | null;
  confidence: number | null;
  citations: { articleId: string; chunkId: number; title: string }[];
  meta: Record<string, unknown>;
  /** Customer messages: when the outcome was stored; null means it still needs a decision. */
  decided_at: Date | null;
  /** Bot and agent messages: the customer message they answer. */
  reply_to: string | null;
  delivery_status: 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | null;
  delivery_error: string | null;
  /** The channel's own id for a sent message (a WhatsApp wamid), named by its status callbacks. */
  delivery_ref: string | null;
  /** An agent's internal note (never sent). */
  internal: boolean;
  author_id: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

/** The contact a channel knows by `externalId`; a name or language given updates it. */
export async function upsertContact(
  db: Queryable,
  input: { channel: string; externalId: string; name?: string | null; lang?: Lang | null },
): Promise<string> {
  const contact = await one<{ id: string }>(
    db,
    `INSERT INTO contacts (channel, external_id, name, lang) VALUES ($1, $2, $3, $4)
     ON CONFLICT (channel, external_id) DO UPDATE SET name = COALESCE(EXCLUDED.name, contacts.name), lang = COALESCE(EXCLUDED.lang, contacts.lang)
     RETURNING id`,
    [input.channel, input.externalId, input.name ?? null, input.lang ?? null],
  );
  return (contact as { id: string }).id;
}

export async function openConversation(
  db: Queryable,
  input: { channel: string; externalId: string; name?: string | null; lang?: Lang | null; openedByKey?: string | null },
): Promise<Conversation> {
  const contactId = await upsertContact(db, input);
  return (await one<Conversation>(
    db,
    'INSERT INTO conversations (contact_id, channel, lang, opened_by_key) VALUES ($1, $2, $3, $4) RETURNING *',
    [contactId, input.channel, input.lang ?? null, input.openedByKey ?? null],
  )) as Conversation;
}

export async function getConversation(db: Queryable, id: string): Promise<Conversation | undefined> {
  return one<Conversation>(db, 'SELECT * FROM conversations WHERE id = $1', [id]);
}

export async function listMessages(db: Queryable, conversationId: string): Promise<Message[]> {
  return db.query<Message>('SELECT * FROM messages WHERE conversation_id = $1 ORDER BY seq', [conversationId]);
}

/** Stores a customer's message first; a repeated channel message id returns the stored one. */
export async function storeCustomerMessage(
  db: Queryable,
  input: {
    conversationId: string;
    content: string;
    lang: Lang;
    channelMessageId?: string | null;
    meta?: Record<string, unknown>;
  },
): Promise<{ message: Message; duplicate: boolean }> {
  const inserted = await one<Message>(
    db,
    `INSERT INTO messages (conversation_id, role, content, lang, channel_message_id, meta)
     VALUES ($1, 'customer', $2, $3, $4, $5::text::jsonb)
     ON CONFLICT (conversation_id, channel_message_id) WHERE channel_message_id IS NOT NULL DO NOTHING RETURNING *`,
    [input.conversationId, input.content, input.lang, input.channelMessageId ?? null, JSON.stringify(input.meta ?? {})],
  );
  if (inserted) return { message: inserted, duplicate: false };
  const existing = await one<Message>(
    db,
    'SELECT * FROM messages WHERE conversation_id = $1 AND channel_message_id = $2',
    [input.conversationId, input.channelMessageId],
  );
  return { message: existing as Message, duplicate: true };
}

/** A bot reply to a customer message, queued for delivery on the conversation's channel. */
export async function storeReply(
  tx: Queryable,
  input: {
    conversationId: string;
    replyTo: string;
    content: string;
    lang: Lang;
    confidence: number;
    citations?: unknown[];
    meta?: Record<string, unknown>;
    /** The channel hands the reply over itself (in the response, on the live feed): no delivery job. */
    deliveredOnStore?: boolean;
  },
): Promise<Message> {
  return (await one<Message>(
    tx,
    `INSERT INTO messages (conversation_id, role, content, lang, confidence, citations, meta, reply_to, delivery_status, delivered_at)
     VALUES ($1, 'bot', $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7, $8, CASE WHEN $8 = 'delivered' THEN now() END)
     RETURNING *`,
    [
      input.conversationId,
      input.content,
      input.lang,
      input.confidence,
      JSON.stringify(input.citations ?? []),
      JSON.stringify(input.meta ?? {}),
      input.replyTo,
      input.deliveredOnStore ? 'delivered' : 'queued',
    ],
  )) as Message;
}

/** The reply the bot gave to a customer message (to answer a repeated delivery the same way). */
export async function replyTo(db: Queryable, messageId: string): Promise<Message | undefined> {
  return one<Message>(db, "SELECT * FROM messages WHERE reply_to = $1 AND role = 'bot' ORDER BY seq LIMIT 1", [
    messageId,
  ]);
}

export async function getMessage(db: Queryable, id: string): Promise<Message | undefined> {
  return one<Message>(db, 'SELECT * FROM messages WHERE id = $1', [id]);
}

/** The oldest customer message of the conversation still waiting for its outcome. */
export async function nextUndecided(db: Queryable, conversationId: string): Promise<Message | undefined> {
  return one<Message>(
    db,
    "SELECT * FROM messages WHERE conversation_id = $1 AND role = 'customer' AND decided_at IS NULL ORDER BY seq LIMIT 1",
    [conversationId],
  );
}

/** Conversations with a customer message stored but never decided (a crash, a failed turn). */
export async function conversationsWithUndecided(db: Queryable, olderThanMs = 0): Promise<string[]> {
  const rows = await db.query<{ conversation_id: string }>(
    `SELECT DISTINCT conversation_id FROM messages
     WHERE role = 'customer' AND decided_at IS NULL AND created_at <= now() - ($1 || ' milliseconds')::interval`,
    [String(olderThanMs)],
  );
  return rows.map((r) => r.conversation_id);
}

export async function setStatus(db: Queryable, conversationId: string, status: ConversationStatus) {
  return one<Conversation>(
    db,
    `UPDATE conversations SET status = $2, updated_at = now(),
       resolved_at = CASE WHEN $2 IN ('resolved', 'closed') THEN now() ELSE resolved_at END,
       bot_failures = CASE WHEN $2 = 'bot' THEN 0 ELSE bot_failures END
     WHERE id = $1 RETURNING *`,
    [conversationId, status],
  );
}

/**
 * What the bot needs of the turns before a customer message, in one read: the customer's
 * sentiment over the last five scored messages (oldest first; read as text as a lone column
 * is, since float4 widened to float8 reads -0.46209999 for -0.4621 and two equal scores would
 * then compare as sinking), the choices the last reply
 * offered ("did you mean …?"), and the customer's previous message (follow-ups read it with this one).
 */
export async function previousTurn(
  db: Queryable,
  message: Pick<Message, 'conversation_id' | 'seq'>,
): Promise<{
  sentimentTrend: number[];
  pendingChoice?: PendingChoice;
  previousQuestion: { text: string; lang: Lang } | null;
}> {
  type Previous = Pick<Message, 'role' | 'content' | 'lang' | 'meta'>;
  const [row] = await db.query<{ trend: (number | string)[] | null; previous: Previous[] | null }>(
    `SELECT
       ARRAY(SELECT sentiment_score::text FROM messages
             WHERE conversation_id = $1 AND role = 'customer' AND sentiment_score IS NOT NULL
             ORDER BY seq DESC LIMIT 5) AS trend,
       (SELECT json_agg(json_build_object('role', p.role, 'content', p.content, 'lang', p.lang, 'meta', p.meta)
                        ORDER BY p.seq DESC)
        FROM (SELECT seq, role, content, lang, meta FROM messages
              WHERE conversation_id = $1 AND seq < $2 AND role IN ('customer', 'bot') AND NOT internal
              ORDER BY seq DESC LIMIT 2) p) AS previous`,
    [message.conversation_id, message.seq],
  );
  const rows = row?.previous ?? [];
  const [last] = rows;
  const customer = rows.find((r) => r.role === 'customer');
  const meta = (last?.meta ?? {}) as { clarify?: string; choices?: PendingChoice['choices']; question?: string };
  const pendingChoice =
    last?.role === 'bot' && meta.clarify === 'did_you_mean' && Array.isArray(meta.choices) && meta.question
      ? { choices: meta.choices, question: meta.question }
      : undefined;
  return {
    sentimentTrend: (row?.trend ?? []).map(Number).reverse(),
    ...(pendingChoice ? { pendingChoice } : {}),
    previousQuestion: customer ? { text: customer.content, lang: (customer.lang ?? 'ar') as Lang } : null,
  };
}
