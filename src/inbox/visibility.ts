import type { Context } from 'hono';
import { z } from 'zod';
import type { Db } from '../platform/db/db.js';
import type { CustomerCaller } from '../platform/http/caller.js';
import type { AppEnv } from '../platform/http/env.js';
import { problems } from '../platform/http/problem.js';
import { type Conversation, getConversation } from './store.js';

/**
 * The conversation if this caller may see it, else 404 (never 403: it must not reveal that the
 * id exists). An API key sees the conversations it opened; a customer the token's own, and an
 * identified customer also their contact's other conversations.
 */
export async function visibleConversation(c: Context<AppEnv>, db: Db, id: string): Promise<Conversation> {
  const customer = c.get('customer');
  const principal = c.get('principal');
  const conversation = z.uuid().safeParse(id).success ? await getConversation(db, id) : undefined;
  const hidden =
    !conversation ||
    (customer && !customerSees(customer, conversation)) ||
    (principal?.kind === 'api_key' && conversation.opened_by_key !== principal.id);
  if (hidden) throw problems.notFound('Conversation', id);
  return conversation as Conversation;
}

export const customerSees = (customer: CustomerCaller, conversation: Conversation) =>
  customer.conversationId === conversation.id ||
  (customer.identified && customer.contactId === conversation.contact_id);
