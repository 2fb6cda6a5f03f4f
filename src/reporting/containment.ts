import type { Queryable } from '../platform/db/db.js';
import { conversationFilters, type ReportScope } from './scope.js';

/**
 * Whether the bot resolved a conversation (alias `a`) without a person — counted strictly, so the
 * rate is not flattered by conversations the customer simply left or that a person touched:
 * - it ended: resolved or closed, or still with the bot and quiet since `idleBefore`;
 * - never handed off, never assigned, no agent message (not even an internal note);
 * - the bot gave at least one answer, and none of its answers was voted "not helpful";
 * - the customer's last message (before resolution) got an answer or a small-talk reply, not a
 *   clarifying question and not silence.
 * `idleBefore` is a parameter placeholder such as `$4`.
 */
export function containedSql(a: string, idleBefore: string): string {
  return `(${a}.status IN ('bot', 'resolved', 'closed') AND ${a}.assigned_to IS NULL
  AND NOT EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = ${a}.id)
  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = ${a}.id AND m.role = 'agent')
  AND NOT EXISTS (SELECT 1 FROM message_feedback f WHERE f.conversation_id = ${a}.id AND NOT f.helpful)
  AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = ${a}.id AND m.role = 'bot' AND m.meta->>'decision' = 'answer')
  AND (SELECT CASE WHEN m.role = 'bot' THEN m.meta->>'decision' END FROM messages m
       WHERE m.conversation_id = ${a}.id AND (m.role = 'customer' OR (m.role = 'bot' AND m.meta->>'decision' IS NOT NULL))
         AND (${a}.resolved_at IS NULL OR m.created_at <= ${a}.resolved_at)
       ORDER BY m.seq DESC LIMIT 1) IN ('answer', 'small_talk')
  AND (${a}.status <> 'bot'
       OR (SELECT max(m.created_at) FROM messages m WHERE m.conversation_id = ${a}.id) < ${idleBefore}::timestamptz))`;
}

/** The conversations every KPI is over: opened in the period, matching the filters, with a customer message. */
export function scopedConversations(scope: ReportScope, params: unknown[], group = "'all'::text"): string {
  params.push(scope.from.toISOString(), scope.to.toISOString());
  const [from, to] = [`$${params.length - 1}`, `$${params.length}`];
  return `conv AS (
  SELECT c.id, c.contact_id, c.status, c.created_at, c.resolved_at, c.last_article_id, c.assigned_to, ${group} AS g
  FROM conversations c
  WHERE c.created_at >= ${from}::timestamptz AND c.created_at < ${to}::timestamptz${conversationFilters(scope, params)}
    AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.role = 'customer'))`;
}

export interface ContainedConversation {
  conversationId: string;
  channel: string;
  lang: string | null;
  createdAt: string;
  resolvedAt: string | null;
  status: string;
  answers: number;
  /** The articles the bot answered from. */
  articles: string[];
}

/**
 * The conversations the containment rate counted, so each can be opened and checked: the same
 * definition as the KPI, never a second one.
 */
export async function containedConversations(
  db: Queryable,
  scope: ReportScope,
  options: { idleBefore: Date; limit: number; offset: number },
): Promise<{ total: number; items: ContainedConversation[] }> {
  const params: unknown[] = [];
  const cte = scopedConversations(scope, params);
  params.push(options.idleBefore.toISOString());
  const idle = `$${params.length}`;
  const rows = await db.query<{
    id: string;
    channel: string;
    lang: string | null;
    created_at: Date;
    resolved_at: Date | null;
    status: string;
    answers: number;
    articles: string[] | null;
    total: number;
  }>(
    `WITH ${cte}
     SELECT c.id, c.channel, c.lang, c.created_at, c.resolved_at, c.status,
       (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.role = 'bot' AND m.meta->>'decision' = 'answer')::int AS answers,
       (SELECT array_agg(DISTINCT x->>'title') FROM messages m, jsonb_array_elements(m.citations) x
        WHERE m.conversation_id = c.id AND m.role = 'bot') AS articles,
       count(*) OVER ()::int AS total
     FROM conv JOIN conversations c ON c.id = conv.id
     WHERE ${containedSql('conv', idle)}
     ORDER BY c.created_at DESC, c.id LIMIT ${options.limit} OFFSET ${options.offset}`,
    params,
  );
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => ({
      conversationId: r.id,
      channel: r.channel,
      lang: r.lang,
      createdAt: new Date(r.created_at).toISOString(),
      resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
      status: r.status,
      answers: r.answers,
      articles: r.articles ?? [],
    })),
  };
}
