import type { Events } from '../platform/events/outbox.js';
import { problems } from '../platform/http/problem.js';
import type { Lang } from '../text/language.js';
import type { Conversation, Message } from './store.js';
import { messageView } from './views.js';

/**
 * A message Sanad itself sends outside a turn (a survey question, a thank-you), also after the
 * conversation is resolved; delivered on the conversation's channel like any reply.
 */
export function notifications(events: Events) {
  return async function notify(input: {
    conversationId: string;
    content: string;
    lang: Lang;
    meta: Record<string, unknown>;
  }): Promise<Message> {
    return events.transaction(async (tx, emit) => {
      const [conversation] = await tx.query<Conversation>('SELECT id FROM conversations WHERE id = $1', [
        input.conversationId,
      ]);
      if (!conversation) throw problems.notFound('Conversation', input.conversationId);
      const [message] = await tx.query<Message>(
        `INSERT INTO messages (conversation_id, role, content, lang, confidence, meta, delivery_status)
         VALUES ($1, 'bot', $2, $3, 1, $4::text::jsonb, 'queued') RETURNING *`,
        [input.conversationId, input.content, input.lang, JSON.stringify(input.meta)],
      );
      await emit({
        type: 'message.created',
        conversationId: input.conversationId,
        data: messageView(message as Message),
      });
      return message as Message;
    });
  };
}
