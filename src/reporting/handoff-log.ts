import type { Queryable } from '../platform/db/db.js';
import type { HandoffScope } from './scope.js';

/**
 * What became of a hand-off: still `waiting`, `assigned` to a person, `resolved` or `closed`,
 * or `handed_back` to the bot (including when the bot later handed off again).
 */
export type HandoffOutcome = 'waiting' | 'assigned' | 'resolved' | 'closed' | 'handed_back';

export interface HandoffCandidate {
  articleId: string;
  title: string;
  score: number;
  similarity: number;
}

export interface HandoffLogEntry {
  id: string;
  conversationId: string;
  createdAt: string;
  reason: string;
  confidence: number | null;
  sentiment: number | null;
  team: string;
  priority: number;
  channel: string;
  lang: string | null;
  /** The customer's question as the log keeps it: personal data redacted. */
  question: string;
  candidates: HandoffCandidate[];
  /** Hand-off to the first reply of a person; while nobody has replied, until now. */
  waitSeconds: number | null;
  firstHumanReplyAt: string | null;
  /** The person who first replied after the hand-off, else the one it is assigned to now. */
  agent: { id: string; name: string } | null;
  outcome: HandoffOutcome;
}

interface Row {
  id: string;
  conversation_id: string;
  created_at: Date | string;
  /** created_at to the microsecond (a Date keeps milliseconds): where the next page starts. */
  cursor_at: string;
  reason: string;
  confidence: number | null;
  sentiment: number | null;
  team: string;
  priority: number;
  channel: string;
  lang: string | null;
  question: string;
  candidates: HandoffCandidate[] | string;
  status: string;
  next_at: Date | string | null;
  first_human_at: Date | string | null;
  wait_seconds: number | null;
  agent_id: string | null;
  agent_name: string | null;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

// A hand-off's span ends where the next hand-off of its conversation begins: a person's reply
// after that belongs to the later one.
const LOG_SQL = `
SELECT h.id, h.conversation_id, h.created_at,
       to_char(h.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at, h.reason, h.confidence, h.sentiment, h.team, h.priority,
       h.question, h.candidates, c.channel, c.lang, c.status, nxt.created_at AS next_at,
       reply.created_at AS first_human_at,
       EXTRACT(EPOCH FROM (COALESCE(reply.created_at,
         CASE WHEN nxt.created_at IS NULL AND c.status IN ('waiting_human', 'assigned') THEN $1::timestamptz END)
         - h.created_at))::float8 AS wait_seconds,
       s.id AS agent_id, s.name AS agent_name
FROM handoffs h
JOIN conversations c ON c.id = h.conversation_id
LEFT JOIN LATERAL (
  SELECT h2.created_at FROM handoffs h2
  WHERE h2.conversation_id = h.conversation_id AND (h2.created_at, h2.id) > (h.created_at, h.id)
  ORDER BY h2.created_at, h2.id LIMIT 1
) nxt ON true
LEFT JOIN LATERAL (
  SELECT m.author_id, m.created_at FROM messages m
  WHERE m.conversation_id = h.conversation_id AND m.role = 'agent' AND NOT m.internal
    AND m.created_at >= h.created_at AND (nxt.created_at IS NULL OR m.created_at < nxt.created_at)
  ORDER BY m.seq LIMIT 1
) reply ON true
LEFT JOIN staff s ON s.id = COALESCE(reply.author_id, CASE WHEN nxt.created_at IS NULL THEN c.assigned_to END)
WHERE h.created_at >= $2 AND h.created_at < $3`;

function outcomeOf(row: Row): HandoffOutcome {
  if (row.next_at) return 'handed_back';
  switch (row.status) {
    case 'waiting_human':
      return 'waiting';
    case 'assigned':
      return 'assigned';
    case 'resolved':
      return 'resolved';
    case 'closed':
      return 'closed';
    default:
      return 'handed_back';
  }
}

function entryOf(row: Row): HandoffLogEntry {
  const candidates = typeof row.candidates === 'string' ? JSON.parse(row.candidates) : row.candidates;
  return {
    id: row.id,
    conversationId: row.conversation_id,
    createdAt: iso(row.created_at) as string,
    reason: row.reason,
    confidence: row.confidence,
    sentiment: row.sentiment,
    team: row.team,
    priority: row.priority,
    channel: row.channel,
    lang: row.lang,
    question: row.question,
    candidates: candidates ?? [],
    waitSeconds: row.wait_seconds === null ? null : Math.round(row.wait_seconds),
    firstHumanReplyAt: iso(row.first_human_at),
    agent: row.agent_id ? { id: row.agent_id, name: row.agent_name ?? '' } : null,
    outcome: outcomeOf(row),
  };
}

/** Where the next page starts: the last entry's exact time and id (newest first, so older than it). */
export interface LogCursor {
  createdAt: string;
  id: string;
}

export const encodeCursor = (c: LogCursor) => Buffer.from(`${c.createdAt}|${c.id}`).toString('base64url');

export function decodeCursor(value: string): LogCursor | undefined {
  const [createdAt, id] = Buffer.from(value, 'base64url').toString().split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)) || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
  return { createdAt, id };
}

/**
 * One page of the hand-off log, newest first, by keyset (time, id): a page costs the same at
 * any depth, which is what lets the CSV export walk any number of rows in bounded memory.
 */
export async function handoffLogPage(
  db: Queryable,
  scope: HandoffScope,
  options: { limit: number; after?: LogCursor; now?: Date },
): Promise<{ entries: HandoffLogEntry[]; next?: LogCursor }> {
  const params: unknown[] = [
    (options.now ?? new Date()).toISOString(),
    scope.from.toISOString(),
    scope.to.toISOString(),
  ];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  let sql = LOG_SQL;
  if (scope.reason) sql += ` AND h.reason = ${add(scope.reason)}`;
  if (scope.team) sql += ` AND h.team = ${add(scope.team)}`;
  if (scope.channel) sql += ` AND c.channel = ${add(scope.channel)}`;
  if (scope.lang) sql += ` AND c.lang = ${add(scope.lang)}`;
  if (options.after) {
    sql += ` AND (h.created_at, h.id) < (${add(options.after.createdAt)}::timestamptz, ${add(options.after.id)}::uuid)`;
  }
  sql += ` ORDER BY h.created_at DESC, h.id DESC LIMIT ${add(options.limit)}`;
  const rows = await db.query<Row>(sql, params);
  const last = rows.at(-1);
  const next = rows.length === options.limit && last ? { createdAt: last.cursor_at, id: last.id } : undefined;
  return { entries: rows.map(entryOf), next };
}

/** One hand-off by id, with the same fields as the log. */
export async function handoffEntry(db: Queryable, id: string, now = new Date()): Promise<HandoffLogEntry | undefined> {
  const rows = await db.query<Row>(
    `${LOG_SQL.replace('WHERE h.created_at >= $2 AND h.created_at < $3', 'WHERE h.id = $2::uuid')}`,
    [now.toISOString(), id],
  );
  return rows[0] ? entryOf(rows[0]) : undefined;
}

/** Every hand-off of a conversation, oldest first (the transcript page marks where each happened). */
export async function handoffsOfConversation(db: Queryable, conversationId: string, now = new Date()) {
  const rows = await db.query<Row>(
    `${LOG_SQL.replace('WHERE h.created_at >= $2 AND h.created_at < $3', 'WHERE h.conversation_id = $2::uuid')} ORDER BY h.created_at, h.id`,
    [now.toISOString(), conversationId],
  );
  return rows.map(entryOf);
}
