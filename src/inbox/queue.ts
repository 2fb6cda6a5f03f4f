import type { Queryable } from '../platform/db/db.js';
import { safeInline } from '../text/safe-markdown.js';

export interface QueueFilter {
  team?: string;
  channel?: string;
  lang?: 'ar' | 'en';
  /** `waiting` (default): not yet taken; `mine`: assigned to this staff member. */
  view?: 'waiting' | 'mine';
  staffId?: string;
}

export interface QueueItem {
  conversationId: string;
  status: string;
  channel: string;
  lang: string | null;
  team: string | null;
  priority: number;
  contactName: string | null;
  reason: string | null;
  confidence: number | null;
  sentiment: number | null;
  /** The customer's latest message, redacted of personal data as the hand-off log keeps it. */
  question: string | null;
  handedOffAt: string | null;
  waitingSeconds: number;
  slaBreached: boolean;
  assignedTo: string | null;
}

interface Row {
  id: string;
  status: string;
  channel: string;
  lang: string | null;
  team: string | null;
  priority: number;
  name: string | null;
  reason: string | null;
  confidence: number | null;
  sentiment: number | null;
  question: string | null;
  handed_off_at: Date | null;
  waiting_seconds: number;
  sla_breached_at: Date | null;
  assigned_to: string | null;
}

/** Waiting conversations, most urgent first: priority, then the longest wait. */
export async function listQueue(db: Queryable, filter: QueueFilter = {}): Promise<QueueItem[]> {
  const mine = filter.view === 'mine';
  const rows = await db.query<Row>(
    `SELECT c.id, c.status, c.channel, c.lang, c.team, c.priority, ct.name, h.reason, h.confidence, h.sentiment,
       h.question, c.handed_off_at, c.sla_breached_at, c.assigned_to,
       GREATEST(0, EXTRACT(EPOCH FROM (now() - COALESCE(c.handed_off_at, c.created_at))))::int AS waiting_seconds
     FROM conversations c
     JOIN contacts ct ON ct.id = c.contact_id
     LEFT JOIN LATERAL (
       SELECT reason, confidence, sentiment, question FROM handoffs WHERE conversation_id = c.id ORDER BY created_at DESC LIMIT 1
     ) h ON true
     WHERE ${mine ? "c.status = 'assigned' AND c.assigned_to = $4" : "c.status = 'waiting_human'"}
       AND ($1::text IS NULL OR c.team = $1) AND ($2::text IS NULL OR c.channel = $2) AND ($3::text IS NULL OR c.lang = $3)
     ORDER BY c.priority DESC, COALESCE(c.handed_off_at, c.created_at) ASC
     LIMIT 200`,
    [filter.team ?? null, filter.channel ?? null, filter.lang ?? null, ...(mine ? [filter.staffId ?? null] : [])],
  );
  return rows.map((r) => ({
    conversationId: r.id,
    status: r.status,
    channel: r.channel,
    lang: r.lang,
    team: r.team,
    priority: r.priority,
    contactName: r.name === null ? null : safeInline(r.name),
    reason: r.reason,
    confidence: r.confidence === null ? null : Number(r.confidence),
    sentiment: r.sentiment === null ? null : Number(r.sentiment),
    question: r.question,
    handedOffAt: r.handed_off_at ? new Date(r.handed_off_at).toISOString() : null,
    waitingSeconds: Number(r.waiting_seconds),
    slaBreached: r.sla_breached_at !== null,
    assignedTo: r.assigned_to,
  }));
}
