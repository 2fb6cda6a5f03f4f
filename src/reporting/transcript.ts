import type { Queryable } from '../platform/db/db.js';
import { type HandoffLogEntry, handoffsOfConversation } from './handoff-log.js';

export interface TranscriptMessage {
  id: string;
  role: 'customer' | 'bot' | 'agent' | 'system';
  content: string;
  /** An agent's internal note: shown to supervisors, never to the customer. */
  internal: boolean;
  createdAt: string;
  confidence: number | null;
  sentiment: number | null;
  decision: string | null;
  citations: { articleId: string; title: string }[];
  author: string | null;
  /** The customer's "was this helpful?" on a bot answer. */
  helpful: boolean | null;
}

export interface Transcript {
  conversation: {
    id: string;
    status: string;
    channel: string;
    lang: string | null;
    team: string | null;
    createdAt: string;
    resolvedAt: string | null;
  };
  messages: TranscriptMessage[];
  handoffs: HandoffLogEntry[];
}

/** A conversation as a supervisor reads it: every message with the bot's scores, and each hand-off. */
export async function transcriptOf(db: Queryable, conversationId: string): Promise<Transcript | undefined> {
  const [c] = await db.query<{
    id: string;
    status: string;
    channel: string;
    lang: string | null;
    team: string | null;
    created_at: Date;
    resolved_at: Date | null;
  }>('SELECT id, status, channel, lang, team, created_at, resolved_at FROM conversations WHERE id = $1', [
    conversationId,
  ]);
  if (!c) return undefined;
  const rows = await db.query<{
    id: string;
    role: TranscriptMessage['role'];
    content: string;
    internal: boolean;
    created_at: Date;
    confidence: number | null;
    sentiment_score: number | null;
    meta: Record<string, unknown> | string;
    citations: { articleId: string; title: string }[] | string;
    author: string | null;
    helpful: boolean | null;
  }>(
    `SELECT m.id, m.role, m.content, m.internal, m.created_at, m.confidence, m.sentiment_score, m.meta, m.citations,
            s.name AS author, f.helpful
     FROM messages m LEFT JOIN staff s ON s.id = m.author_id LEFT JOIN message_feedback f ON f.message_id = m.id
     WHERE m.conversation_id = $1 ORDER BY m.seq`,
    [conversationId],
  );
  const json = <T>(v: T | string): T => (typeof v === 'string' ? JSON.parse(v) : v);
  return {
    conversation: {
      id: c.id,
      status: c.status,
      channel: c.channel,
      lang: c.lang,
      team: c.team,
      createdAt: new Date(c.created_at).toISOString(),
      resolvedAt: c.resolved_at ? new Date(c.resolved_at).toISOString() : null,
    },
    messages: rows.map((m) => {
      const meta = json(m.meta) ?? {};
      return {
        id: m.id,
        role: m.role,
        content: m.content,
        internal: Boolean(m.internal),
        createdAt: new Date(m.created_at).toISOString(),
        confidence: m.confidence,
        sentiment: m.sentiment_score,
        decision: typeof meta.decision === 'string' ? meta.decision : null,
        citations: (json(m.citations) ?? []).map((x) => ({ articleId: x.articleId, title: x.title })),
        author: m.author,
        helpful: m.helpful,
      };
    }),
    handoffs: await handoffsOfConversation(db, conversationId),
  };
}
