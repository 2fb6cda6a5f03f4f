import type { Events } from '../platform/events/outbox.js';
import { Problem, problems } from '../platform/http/problem.js';
import type { Message } from './store.js';

/**
 * "Was this helpful?" on one of the bot's answers. The latest verdict stands; each one is an
 * event, so reports and the knowledge editor's gaps hear of it.
 */
export function feedbackCommands(events: Events) {
  return {
    async rate(input: { messageId: string; helpful: boolean }): Promise<{ messageId: string; helpful: boolean }> {
      return events.transaction(async (tx, emit) => {
        const [message] = await tx.query<Message>('SELECT * FROM messages WHERE id = $1', [input.messageId]);
        if (!message) throw problems.notFound('Message', input.messageId);
        if (message.role !== 'bot' || message.meta?.decision !== 'answer') {
          throw new Problem(
            409,
            'not-an-answer',
            'Only an answer can be rated',
            'Rate a message the bot answered with (its decision is "answer"), not a hand-off notice or a greeting.',
          );
        }
        await tx.query(
          `INSERT INTO message_feedback (message_id, conversation_id, helpful) VALUES ($1, $2, $3)
           ON CONFLICT (message_id) DO UPDATE SET helpful = EXCLUDED.helpful, updated_at = now()`,
          [message.id, message.conversation_id, input.helpful],
        );
        const articleId = message.citations?.[0]?.articleId ?? null;
        await emit({
          type: 'message.rated',
          conversationId: message.conversation_id,
          data: { messageId: message.id, helpful: input.helpful, articleId },
        });
        return { messageId: message.id, helpful: input.helpful };
      });
    },
  };
}
