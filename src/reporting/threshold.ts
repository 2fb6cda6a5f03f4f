import type { Queryable } from '../platform/db/db.js';
import { conversationFilters, type ReportScope } from './scope.js';

export interface ThresholdPoint {
  threshold: number;
  /** Judged answers whose confidence reaches the threshold. */
  answered: number;
  correct: number;
  /** correct / answered. */
  precision: number | null;
  /** answered / all judged answers. */
  coverage: number | null;
  /** Low-confidence hand-offs at or above the threshold: unjudged questions it would have answered. */
  handoffsAnswered: number;
}

export interface ThresholdView {
  /** The threshold in force for the scope's language (English's when the scope has none). */
  current: number;
  /** The threshold in force for each customer language (they differ with per-language target precisions). */
  inForce: { ar: number; en: number };
  judged: number;
  correct: number;
  points: ThresholdPoint[];
}

const STEPS = Array.from({ length: 14 }, (_, i) => Number((0.3 + i * 0.05).toFixed(2)));

/**
 * Answered precision against coverage from bot answers someone judged in the period: a "helpful"
 * vote is correct; a "not helpful" vote, or a hand-off or a person's reply before the bot's next
 * answer, is wrong (the answer did not settle it). Answers nobody judged are left out. Below the
 * threshold in force the bot gave no answers to judge, so there the view counts the low-confidence
 * hand-offs a lower threshold would have answered instead.
 */
export async function thresholdView(
  db: Queryable,
  scope: ReportScope,
  inForce: ThresholdView['inForce'],
): Promise<ThresholdView> {
  const current = inForce[scope.lang ?? 'en'];
  const thresholds = [...new Set([...STEPS, current, inForce.ar, inForce.en])].sort((a, b) => a - b);
  const params: unknown[] = [scope.from.toISOString(), scope.to.toISOString()];
  const filters = conversationFilters(scope, params);
  params.push(`{${thresholds.join(',')}}`);
  const list = `$${params.length}`;
  const rows = await db.query<{
    threshold: number;
    answered: number;
    correct: number;
    judged: number;
    handoffs: number;
    judged_correct: number;
  }>(
    `WITH judged AS (
       SELECT b.confidence, (f.helpful IS TRUE AND NOT later.wrong) AS correct
       FROM messages b
       JOIN conversations c ON c.id = b.conversation_id
       LEFT JOIN message_feedback f ON f.message_id = b.id
       CROSS JOIN LATERAL (
         SELECT min(n.created_at) AS at FROM messages n
         WHERE n.conversation_id = b.conversation_id AND n.role = 'bot' AND n.meta->>'decision' = 'answer' AND n.seq > b.seq
       ) nxt
       CROSS JOIN LATERAL (
         SELECT (f.helpful IS FALSE
           OR EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = b.conversation_id
                      AND h.created_at > b.created_at AND (nxt.at IS NULL OR h.created_at < nxt.at))
           OR EXISTS (SELECT 1 FROM messages a WHERE a.conversation_id = b.conversation_id AND a.role = 'agent'
                      AND NOT a.internal AND a.seq > b.seq AND (nxt.at IS NULL OR a.created_at < nxt.at))) AS wrong
       ) later
       WHERE b.role = 'bot' AND b.meta->>'decision' = 'answer'
         AND b.created_at >= $1::timestamptz AND b.created_at < $2::timestamptz${filters}
         AND (f.helpful IS NOT NULL OR later.wrong)
     ),
     low AS (
       SELECT h.confidence FROM handoffs h JOIN conversations c ON c.id = h.conversation_id
       WHERE h.reason = 'low_confidence' AND h.confidence IS NOT NULL
         AND h.created_at >= $1::timestamptz AND h.created_at < $2::timestamptz${filters}
     ),
     t AS (SELECT unnest(${list}::float8[]) AS threshold)
     SELECT t.threshold,
       (SELECT count(*) FROM judged WHERE judged.confidence >= t.threshold - 1e-6)::int AS answered,
       (SELECT count(*) FROM judged WHERE judged.confidence >= t.threshold - 1e-6 AND judged.correct)::int AS correct,
       (SELECT count(*) FROM judged)::int AS judged,
       (SELECT count(*) FROM judged WHERE judged.correct)::int AS judged_correct,
       (SELECT count(*) FROM low WHERE low.confidence >= t.threshold - 1e-6)::int AS handoffs
     FROM t ORDER BY t.threshold`,
    params,
  );
  const judged = rows[0]?.judged ?? 0;
  return {
    current,
    inForce,
    judged,
    correct: rows[0]?.judged_correct ?? 0,
    points: rows.map((r) => ({
      threshold: Number(r.threshold),
      answered: r.answered,
      correct: r.correct,
      precision: r.answered ? r.correct / r.answered : null,
      coverage: judged ? r.answered / judged : null,
      handoffsAnswered: r.handoffs,
    })),
  };
}
