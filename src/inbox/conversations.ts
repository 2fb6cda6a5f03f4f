import type { Events } from '../platform/events/outbox.js';
import { problems } from '../platform/http/problem.js';
import type { Lang } from '../text/language.js';
import { type Conversation, getConversation, openConversation, setStatus } from './store.js';
import { conversationView } from './views.js';

/** Opening and closing conversations: status changes and their events, in one transaction. */
export function conversationCommands(events: Events) {
  return {
    async open(input: {
      channel: string;
      externalId: string;
      name?: string | null;
      lang?: Lang | null;
      openedByKey?: string | null;
    }): Promise<Conversation> {
      return events.transaction(async (tx, emit) => {
        const conversation = await openConversation(tx, input);
        await emit({
          type: 'conversation.opened',
          conversationId: conversation.id,
          data: conversationView(conversation),
        });
        return conversation;
      });
    },

    /** `resolved` (a person or the customer closed the matter) or `bot` (handed back to the bot). */
    async setStatus(id: string, status: 'resolved' | 'bot'): Promise<Conversation> {
      return events.transaction(async (tx, emit) => {
        const [current] = await tx.query<Conversation>('SELECT * FROM conversations WHERE id = $1 FOR UPDATE', [id]);
        if (!current) throw problems.notFound('Conversation', id);
        if (current.status === 'resolved' || current.status === 'closed') {
          throw problems.conflict('conversation-closed', `The conversation is already ${current.status}.`);
        }
        const updated = (await setStatus(tx, id, status)) as Conversation;
        await emit({
          type: status === 'resolved' ? 'conversation.resolved' : 'conversation.handed_back',
          conversationId: id,
          data: conversationView(updated),
        });
        return updated;
      });
    },

    /**
     * A person takes the conversation (an agent claims it, or a supervisor assigns it): the bot
     * goes quiet until it is handed back or resolved.
     */
    async assign(id: string, staffId: string, options: { takeOver?: boolean } = {}): Promise<Conversation> {
      return events.transaction(async (tx, emit) => {
        const [current] = await tx.query<Conversation>('SELECT * FROM conversations WHERE id = $1 FOR UPDATE', [id]);
        if (!current) throw problems.notFound('Conversation', id);
        if (current.status === 'resolved' || current.status === 'closed') {
          throw problems.conflict('conversation-closed', `The conversation is already ${current.status}.`);
        }
        if (current.status === 'assigned' && current.assigned_to === staffId) return current;
        // Claiming what a colleague holds is a mistake to report; a supervisor moving it is not.
        if (current.status === 'assigned' && current.assigned_to && !options.takeOver) {
          const [holder] = await tx.query<{ id: string; name: string }>('SELECT id, name FROM staff WHERE id = $1', [
            current.assigned_to,
          ]);
          throw problems.conflict('already-assigned', `${holder?.name ?? 'Another agent'} holds this conversation.`, {
            assignedTo: { id: current.assigned_to, name: holder?.name ?? null },
          });
        }
        const [staff] = await tx.query<{ id: string }>('SELECT id FROM staff WHERE id = $1', [staffId]);
        if (!staff) throw problems.notFound('Staff member', staffId);
        const [updated] = await tx.query<Conversation>(
          `UPDATE conversations SET status = 'assigned', assigned_to = $2, updated_at = now(),
             handed_off_at = COALESCE(handed_off_at, now())
           WHERE id = $1 RETURNING *`,
          [id, staffId],
        );
        await emit({
          type: 'conversation.assigned',
          conversationId: id,
          data: conversationView(updated as Conversation),
        });
        return updated as Conversation;
      });
    },

    get: (db: Parameters<typeof getConversation>[0], id: string) => getConversation(db, id),
  };
}
