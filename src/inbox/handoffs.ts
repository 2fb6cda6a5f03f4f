import type { HandoffReason } from '../bot/policy.js';
import type { Queryable } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';

export interface HandoffRecord {
  id: string;
  conversation_id: string;
  message_id: string | null;
  reason: HandoffReason;
  confidence: number | null;
  sentiment: number | null;
  question: string;
  candidates: { articleId: string; title: string; score: number; similarity: number }[];
  team: string;
  priority: number;
  created_at: Date;
}

/**
 * Moves the conversation to the human queue and logs why, in the caller's transaction,
 * so the queue and the log never disagree.
 */
export async function recordHandoff(
  tx: Queryable,
  input: Omit<HandoffRecord, 'id' | 'created_at' | 'conversation_id'> & { conversationId: string },
): Promise<HandoffRecord> {
  const row = await one<HandoffRecord>(
    tx,
    `INSERT INTO handoffs (conversation_id, message_id, reason, confidence, sentiment, question, candidates, team, priority)
     VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9) RETURNING *`,
    [
      input.conversationId,
      input.message_id,
      input.reason,
      input.confidence,
      input.sentiment,
      input.question,
      JSON.stringify(input.candidates),
      input.team,
      input.priority,
    ],
  );
  await tx.query(
    `UPDATE conversations SET status = 'waiting_human', team = $2, priority = $3, handed_off_at = now(), updated_at = now()
     WHERE id = $1`,
    [input.conversationId, input.team, input.priority],
  );
  return row as HandoffRecord;
}

export async function listHandoffs(db: Queryable, conversationId: string): Promise<HandoffRecord[]> {
  return db.query<HandoffRecord>('SELECT * FROM handoffs WHERE conversation_id = $1 ORDER BY created_at', [
    conversationId,
  ]);
}

export async function handoffFor(db: Queryable, messageId: string): Promise<HandoffRecord | undefined> {
  return one<HandoffRecord>(db, 'SELECT * FROM handoffs WHERE message_id = $1 ORDER BY created_at LIMIT 1', [
    messageId,
  ]);
}
