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

/** A token for one conversation, returned in clear once; only its hash is stored. */
export async function createCustomerToken(
  db: Queryable,
  conversationId: string,
  ttlHours: number,
): Promise<CustomerToken> {
  const token = `${CUSTOMER_TOKEN_PREFIX}${randomToken(24)}`;
  const row = (await one<{ id: string; expires_at: Date }>(
    db,
    `INSERT INTO customer_tokens (conversation_id, token_hash, expires_at)
     VALUES ($1, $2, now() + ($3 || ' hours')::interval) RETURNING id, expires_at`,
    [conversationId, tokenHash(token), String(ttlHours)],
  )) as { id: string; expires_at: Date };
  return { token, id: row.id, conversationId, expiresAt: new Date(row.expires_at) };
}

export async function customerForToken(db: Queryable, token: string): Promise<CustomerCaller | undefined> {
  const row = await one<{ id: string; conversation_id: string }>(
    db,
    'SELECT id, conversation_id FROM customer_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()',
    [tokenHash(token)],
  );
  return row && { kind: 'customer', conversationId: row.conversation_id, tokenId: row.id };
}
