import type { Decision } from '../bot/index.js';
import type { Queryable } from '../platform/db/db.js';
import type { Emit } from '../platform/events/outbox.js';
import { type HandoffRecord, recordHandoff } from './handoffs.js';
import { type Conversation, type Message, storeReply } from './store.js';
import { handoffView, messageView } from './views.js';

/** The turn's lease passed to another holder (ours expired): that holder decides the message. */
export class LeaseLostError extends Error {
  constructor(conversationId: string) {
    super(`the turn of conversation ${conversationId} was taken over`);
  }
}

export interface Applied {
  /** The customer's message as now stored (decided). */
  message?: Message;
  reply?: Message;
  handoff?: HandoffRecord;
}

/**
 * Stores a decision and the events it causes, in the caller's transaction: the customer's
 * message is marked decided together with the reply, the hand-off and the counters, so a
 * message is either wholly handled or still waiting, never in between.
 */
export async function applyDecision(
  tx: Queryable,
  emit: Emit,
  input: { message: Message; decision: Decision; owner: string; deliveredOnStore?: ReadonlySet<string> },
): Promise<Applied | undefined> {
  const { message, decision } = input;
  const conversationId = message.conversation_id;
  const [conversation] = await tx.query<Conversation>('SELECT * FROM conversations WHERE id = $1 FOR UPDATE', [
    conversationId,
  ]);
  if (conversation?.turn_owner !== input.owner) throw new LeaseLostError(conversationId);
  // Marked decided only if no earlier turn did (the conversation row is locked): one statement,
  // which also gives the row back for the caller's response.
  const [decided] = await tx.query<Message>(
    `UPDATE messages SET sentiment_score = $2, sentiment_label = $3, decided_at = now(),
       meta = meta || $4::text::jsonb WHERE id = $1 AND decided_at IS NULL RETURNING *`,
    [message.id, decision.sentiment.score, decision.sentiment.label, JSON.stringify({ decision: decision.kind })],
  );
  if (!decided) return undefined;
  const articleId = decision.kind === 'answer' ? (decision.answer.citations[0]?.articleId ?? null) : null;
  await tx.query(
    `UPDATE conversations SET model_calls = model_calls + $2, bot_failures = $3, lang = COALESCE(lang, $4),
       last_article_id = CASE WHEN $5::text IS NULL THEN last_article_id ELSE $5::text END, updated_at = now()
     WHERE id = $1`,
    [conversationId, decision.modelCalls, decision.botFailures, decision.lang, articleId],
  );

  const applied: Applied = { message: decided };
  if (decision.kind === 'handoff') {
    applied.handoff = await recordHandoff(tx, {
      conversationId,
      message_id: message.id,
      reason: decision.reason,
      confidence: decision.confidence,
      sentiment: decision.sentiment.score,
      question: decision.question,
      candidates: decision.candidates,
      team: decision.team,
      priority: decision.priority,
    });
  }
  if (decision.kind !== 'silent') {
    applied.reply = await storeReply(tx, {
      conversationId,
      replyTo: message.id,
      content: decision.reply,
      lang: decision.lang,
      confidence: confidenceOf(decision),
      citations: decision.kind === 'answer' ? decision.answer.citations : [],
      meta: metaOf(decision),
      deliveredOnStore: input.deliveredOnStore?.has(conversation.channel),
    });
    await emit({ type: 'message.created', conversationId, data: messageView(applied.reply) });
  }
  if (applied.handoff) {
    await emit({ type: 'conversation.handed_off', conversationId, data: handoffView(applied.handoff) });
  }
  await emit({
    type: 'bot.decided',
    conversationId,
    data: {
      messageId: message.id,
      kind: decision.kind,
      lang: decision.lang,
      sentiment: decision.sentiment.score,
      confidence:
        decision.kind === 'answer'
          ? decision.answer.confidence
          : decision.kind === 'handoff'
            ? decision.confidence
            : null,
      reason: decision.kind === 'handoff' ? decision.reason : null,
      articleId,
      modelCalls: decision.modelCalls,
    },
  });
  return applied;
}

function confidenceOf(decision: Decision): number {
  if (decision.kind === 'answer') return decision.answer.confidence;
  if (decision.kind === 'handoff') return decision.confidence ?? 0;
  if (decision.kind === 'clarify' && decision.why === 'did_you_mean') return decision.confidence;
  return decision.kind === 'small_talk' ? 1 : 0;
}

function metaOf(decision: Decision): Record<string, unknown> {
  const meta: Record<string, unknown> = { decision: decision.kind };
  if (decision.kind === 'answer') meta.answerer = decision.answer.answerer;
  if (decision.kind === 'handoff') meta.handoff = decision.reason;
  if (decision.kind === 'small_talk') meta.smallTalk = decision.topic;
  if (decision.kind === 'clarify') meta.clarify = decision.why;
  // What the customer's next message may choose from, and the question it answers (redacted).
  if (decision.kind === 'clarify' && decision.why === 'did_you_mean') {
    meta.choices = decision.choices;
    meta.question = decision.question;
  }
  return meta;
}
