import type { Queryable } from '../platform/db/db.js';
import type { Emit, Events } from '../platform/events/outbox.js';
import type { Lang } from '../text/language.js';
import type { InboundMessage, ReceiveOutcome } from './receive.js';
import { type Conversation, openConversation, upsertContact } from './store.js';
import { conversationView } from './views.js';

/** A message from a channel that knows the customer (a phone number), not the conversation. */
export interface ContactMessage extends Omit<InboundMessage, 'conversationId'> {
  channel: string;
  contact: { externalId: string; name?: string | null };
  lang?: Lang | null;
}

type Found = { kind: 'repeat'; messageId: string } | { kind: 'conversation'; conversation: Conversation };

/**
 * Which conversation a contact's message belongs to: the one already holding this channel
 * message id (a redelivery, even after that conversation was resolved), else the contact's
 * conversation still open on this channel, else a new one. Serialised per contact, so two
 * deliveries at once never open two conversations.
 */
async function conversationFor(events: Events, input: ContactMessage): Promise<Found> {
  return events.transaction(async (tx, emit) => {
    await lockContact(tx, input.channel, input.contact.externalId);
    if (input.channelMessageId) {
      const [repeat] = await tx.query<{ id: string }>(
        `SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id
         JOIN contacts ct ON ct.id = c.contact_id
         WHERE m.channel_message_id = $1 AND c.channel = $2 AND ct.external_id = $3 LIMIT 1`,
        [input.channelMessageId, input.channel, input.contact.externalId],
      );
      if (repeat) return { kind: 'repeat', messageId: repeat.id };
    }
    const conversation = await currentOrNew(tx, emit, input.channel, input.contact, input.lang);
    return { kind: 'conversation', conversation };
  });
}

/** The contact's conversation still open on this channel, else a new one; in the caller's transaction. */
async function currentOrNew(
  tx: Queryable,
  emit: Emit,
  channel: string,
  contact: { externalId: string; name?: string | null },
  lang?: Lang | null,
): Promise<Conversation> {
  const contactId = await upsertContact(tx, { channel, externalId: contact.externalId, name: contact.name });
  const [open] = await tx.query<Conversation>(
    `SELECT * FROM conversations WHERE contact_id = $1 AND channel = $2 AND status NOT IN ('resolved', 'closed')
     ORDER BY created_at DESC LIMIT 1`,
    [contactId, channel],
  );
  if (open) return open;
  const conversation = await openConversation(tx, { channel, externalId: contact.externalId, lang });
  await emit({ type: 'conversation.opened', conversationId: conversation.id, data: conversationView(conversation) });
  return conversation;
}

/**
 * The conversation a returning contact continues (their open one on this channel), else a new
 * one: the widget's identified visitors. Serialised per contact like `receiveFrom`.
 */
export function continueOrOpen(events: Events) {
  return (input: { channel: string; contact: { externalId: string; name?: string | null }; lang?: Lang | null }) =>
    events.transaction(async (tx, emit) => {
      await lockContact(tx, input.channel, input.contact.externalId);
      return currentOrNew(tx, emit, input.channel, input.contact, input.lang);
    });
}

const lockContact = (tx: Queryable, channel: string, externalId: string) =>
  tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`contact:${channel}:${externalId}`]);

/** `receiveFrom()`: a contact's message, handed to `receive()` on the conversation it belongs to. */
export function contactInbound(
  events: Events,
  receiver: {
    receive(input: InboundMessage): Promise<ReceiveOutcome>;
    outcomeOf(messageId: string, duplicate: boolean): Promise<ReceiveOutcome>;
  },
) {
  return async function receiveFrom(input: ContactMessage): Promise<ReceiveOutcome> {
    const found = await conversationFor(events, input);
    if (found.kind === 'repeat') {
      const outcome = await receiver.outcomeOf(found.messageId, true);
      // Stored but not yet decided (its first delivery failed half-way): handle it now.
      if (!outcome.message.decided_at)
        return receiver.receive({ ...input, conversationId: outcome.message.conversation_id });
      return outcome;
    }
    const { channel: _channel, contact: _contact, lang: _lang, ...message } = input;
    return receiver.receive({ ...message, conversationId: found.conversation.id });
  };
}
