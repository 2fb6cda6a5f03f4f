import type { Queryable } from '../platform/db/db.js';
import type { Events } from '../platform/events/outbox.js';
import { Problem, problems } from '../platform/http/problem.js';
import { safeInline, safeMarkdown } from '../text/safe-markdown.js';
import type { Conversation, Message } from './store.js';
import { validateMessageText } from './validate.js';
import { messageView } from './views.js';

export interface AgentReply {
  conversationId: string;
  author: { id: string; name: string };
  text: string;
  /** A note for colleagues: stored and shown in the console, never sent to the customer. */
  note?: boolean;
  /** Articles the reply used (from an accepted suggestion, or inserted by the agent). */
  articleIds?: string[];
  /** Runs in the reply's transaction with the stored message (the copilot records a suggestion's outcome). */
  onStored?: (tx: Queryable, message: Message) => Promise<void>;
}

/**
 * An agent writes to the customer, or a note for colleagues. A reply needs the conversation
 * assigned to its author (claim it first); the message goes out through the conversation's
 * channel by the outbox like the bot's, and carries the agent's name for the customer.
 */
export function agentReplies(events: Events, maxChars: number) {
  return async function reply(input: AgentReply): Promise<Message> {
    const content = safeMarkdown(validateMessageText(input.text, maxChars));
    if (!content.trim()) {
      throw new Problem(400, 'empty-message', 'The message is empty', 'Write some text; markup alone is removed.');
    }
    return events.transaction(async (tx, emit) => {
      const [conversation] = await tx.query<Conversation>('SELECT * FROM conversations WHERE id = $1 FOR UPDATE', [
        input.conversationId,
      ]);
      if (!conversation) throw problems.notFound('Conversation', input.conversationId);
      if (!input.note) {
        if (conversation.status === 'resolved' || conversation.status === 'closed') {
          throw problems.conflict(
            'conversation-closed',
            `The conversation is ${conversation.status}; it cannot be replied to.`,
          );
        }
        if (conversation.status !== 'assigned' || conversation.assigned_to !== input.author.id) {
          throw new Problem(
            403,
            'not-assigned',
            'The conversation is not assigned to you',
            'Claim the conversation before replying, or add an internal note instead.',
          );
        }
      }
      const citations = await citationsFor(tx, input.articleIds ?? []);
      const [message] = await tx.query<Message>(
        `INSERT INTO messages (conversation_id, role, content, lang, citations, meta, author_id, internal, delivery_status)
         VALUES ($1, 'agent', $2, $3, $4::text::jsonb, $5::text::jsonb, $6, $7, $8) RETURNING *`,
        [
          conversation.id,
          content,
          conversation.lang,
          JSON.stringify(citations),
          JSON.stringify({ author: { id: input.author.id, name: safeInline(input.author.name) } }),
          input.author.id,
          Boolean(input.note),
          input.note ? null : 'queued',
        ],
      );
      const stored = message as Message;
      await input.onStored?.(tx, stored);
      await tx.query('UPDATE conversations SET updated_at = now() WHERE id = $1', [conversation.id]);
      await emit({ type: 'message.created', conversationId: conversation.id, data: messageView(stored) });
      return stored;
    });
  };
}

async function citationsFor(tx: Queryable, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await tx.query<{ id: string; title: string }>(
    'SELECT id, title FROM articles WHERE id = ANY($1) AND status = $2',
    [ids, 'published'],
  );
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length > 0) {
    throw new Problem(
      400,
      'unknown-article',
      'An article the reply cites does not exist',
      `No published article: ${missing.join(', ')}.`,
    );
  }
  return rows.map((r) => ({ articleId: r.id, chunkId: 0, title: safeInline(r.title) }));
}
