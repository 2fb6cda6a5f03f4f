import type { Queryable } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';
import type { CustomerCaller } from '../platform/http/caller.js';
import { randomToken, tokenHash } from './tokens.js';

export const CUSTOMER_TOKEN_PREFIX = 'ct_sanad_';

export interface CustomerToken {
  token: string;
  id: string;
  conversationId: string;
  expiresAt: Date;
}

/**
 * A token for one conversation, returned in clear once; only its hash is stored. An
 * `identified` token (the site vouched for the visitor) also reads the contact's other
 * conversations.
 */
export async function createCustomerToken(
  db: Queryable,
  conversationId: string,
  ttlHours: number,
  options: { identified?: boolean } = {},
): Promise<CustomerToken> {
  const token = `${CUSTOMER_TOKEN_PREFIX}${randomToken(24)}`;
  const row = (await one<{ id: string; expires_at: Date }>(
    db,
    `INSERT INTO customer_tokens (conversation_id, token_hash, expires_at, identified)
     VALUES ($1, $2, now() + ($3 || ' hours')::interval, $4) RETURNING id, expires_at`,
    [conversationId, tokenHash(token), String(ttlHours), options.identified ?? false],
  )) as { id: string; expires_at: Date };
  return { token, id: row.id, conversationId, expiresAt: new Date(row.expires_at) };
}

export async function customerForToken(db: Queryable, token: string): Promise<CustomerCaller | undefined> {
  const row = await one<{ id: string; conversation_id: string; contact_id: string; identified: boolean }>(
    db,
    `SELECT t.id, t.conversation_id, c.contact_id, t.identified FROM customer_tokens t
     JOIN conversations c ON c.id = t.conversation_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now()`,
    [tokenHash(token)],
  );
  return (
    row && {
      kind: 'customer',
      conversationId: row.conversation_id,
      contactId: row.contact_id,
      identified: row.identified,
      tokenId: row.id,
    }
  );
}
