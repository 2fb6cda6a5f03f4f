import type { Queryable } from '../platform/db/db.js';
import { containedSql, scopedConversations } from './containment.js';
import type { ReportScope } from './scope.js';

export type KpiDimension = 'channel' | 'team' | 'lang';

/** How the KPIs are counted where the definition has a knob (docs/reporting.md). */
export interface KpiSettings {
  /** A conversation still with the bot counts as ended once quiet this long. */
  idleMinutes: number;
  /** First-contact resolution: a new conversation on the same topic within this many hours is a repeat. */
  fcrWindowHours: number;
  /** A customer message at or below this sentiment is a complaint. */
  negativeSentiment: number;
  now?: Date;
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export interface KpiGroup {
  /** The channel, team or language of this group; null for conversations without one (a team before any hand-off). */
  key: string | null;
  conversations: number;
  containment: { contained: number; rate: number | null };
  handoffs: {
    conversations: number;
    rate: number | null;
    byReason: Record<string, { count: number; rate: number | null }>;
  };
  firstResponse: {
    bot: { count: number; avgSeconds: number | null; medianSeconds: number | null };
    human: { count: number; avgSeconds: number | null; medianSeconds: number | null };
  };
  resolution: { resolved: number; avgSeconds: number | null };
  firstContactResolution: { ended: number; resolvedFirstTime: number; rate: number | null; windowHours: number };
  csat: { responses: number; average: number | null; satisfied: number; rate: number | null };
  nps: { responses: number; promoters: number; detractors: number; score: number | null };
  ces: { responses: number; average: number | null };
  suggestions: {
    decided: number;
    accepted: number;
    edited: number;
    rejected: number;
    acceptanceRate: number | null;
    editRate: number | null;
    avgEditDistance: number | null;
  };
  helpfulness: { votes: number; helpful: number; notHelpful: number; rate: number | null };
  repeatedComplaints: { contacts: number; conversations: number };
}

export interface KpiReport {
  from: string;
  to: string;
  overall: KpiGroup;
  by?: KpiDimension;
  groups: KpiGroup[];
  /** Conversations, contained and handed off per day (UTC), for the trend chart. */
  daily: { day: string; conversations: number; contained: number; handedOff: number }[];
}

type Rows = Record<string, number | string | null>[];

/** One query's SQL: the scoped conversations as `conv` (with group `g`) and the values it needs. */
function query(scope: ReportScope, group: string, body: (add: (v: unknown) => string) => string) {
  const params: unknown[] = [];
  const cte = scopedConversations(scope, params, group);
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  return { sql: `WITH ${cte} ${body(add)}`, params };
}

function volumeSql(settings: Required<KpiSettings>, idleBefore: Date) {
  return (add: (v: unknown) => string) => {
    const idle = add(idleBefore.toISOString());
    const window = add(settings.fcrWindowHours);
    // Same topic: the same article, or articles sharing a tag; when either side has no article
    // the topic is unknown and the new conversation counts as a repeat (never flatters FCR).
    return `SELECT g, count(*)::int AS conversations,
      count(*) FILTER (WHERE contained)::int AS contained,
      count(*) FILTER (WHERE handed_off)::int AS handed_off,
      count(*) FILTER (WHERE resolved_at IS NOT NULL)::int AS resolved,
      avg(EXTRACT(EPOCH FROM (resolved_at - created_at)))::float8 AS avg_resolution,
      count(*) FILTER (WHERE contained OR status IN ('resolved', 'closed'))::int AS ended,
      count(*) FILTER (WHERE (contained OR status IN ('resolved', 'closed')) AND NOT repeated)::int AS first_time
    FROM (SELECT conv.*, ${containedSql('conv', idle)} AS contained,
            EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = conv.id) AS handed_off,
            EXISTS (SELECT 1 FROM conversations n
              LEFT JOIN articles na ON na.id = n.last_article_id
              LEFT JOIN articles ca ON ca.id = conv.last_article_id
              WHERE n.contact_id = conv.contact_id AND n.id <> conv.id AND n.created_at > conv.created_at
                AND n.created_at <= COALESCE(conv.resolved_at, conv.created_at) + ${window}::float8 * interval '1 hour'
                AND (na.id IS NULL OR ca.id IS NULL OR na.id = ca.id OR na.tags && ca.tags)) AS repeated
          FROM conv) x
    GROUP BY g`;
  };
}

// The reason of each conversation's first hand-off, so the reasons add up to the hand-off rate.
const REASONS_SQL = `SELECT g, f.reason, count(*)::int AS n FROM conv
  JOIN LATERAL (SELECT h.reason FROM handoffs h WHERE h.conversation_id = conv.id ORDER BY h.created_at, h.id LIMIT 1) f ON true
  GROUP BY g, f.reason`;

// Bot: the first customer message to the bot's first decided reply (not a survey question). Human: the first hand-off to the
// first reply a person sent the customer (notes do not count).
const RESPONSE_SQL = `SELECT g,
    count(bot)::int AS bot_n, avg(bot)::float8 AS bot_avg, percentile_cont(0.5) WITHIN GROUP (ORDER BY bot)::float8 AS bot_p50,
    count(human)::int AS human_n, avg(human)::float8 AS human_avg, percentile_cont(0.5) WITHIN GROUP (ORDER BY human)::float8 AS human_p50
  FROM (SELECT conv.g,
      EXTRACT(EPOCH FROM ((SELECT min(m.created_at) FROM messages m WHERE m.conversation_id = conv.id AND m.role = 'bot'
                            AND m.meta->>'decision' IS NOT NULL AND m.created_at >= fc.at) - fc.at))::float8 AS bot,
      EXTRACT(EPOCH FROM ((SELECT min(m.created_at) FROM messages m WHERE m.conversation_id = conv.id AND m.role = 'agent'
                            AND NOT m.internal AND m.created_at >= fh.at) - fh.at))::float8 AS human
    FROM conv
    CROSS JOIN LATERAL (SELECT min(m.created_at) AS at FROM messages m WHERE m.conversation_id = conv.id AND m.role = 'customer') fc
    CROSS JOIN LATERAL (SELECT min(h.created_at) AS at FROM handoffs h WHERE h.conversation_id = conv.id) fh) t
  GROUP BY g`;

const SURVEYS_SQL = `SELECT g, s.kind, count(*)::int AS n, avg(s.score)::float8 AS average,
    count(*) FILTER (WHERE s.score >= 4)::int AS satisfied,
    count(*) FILTER (WHERE s.score >= 9)::int AS promoters,
    count(*) FILTER (WHERE s.score <= 6)::int AS detractors
  FROM conv JOIN survey_responses s ON s.conversation_id = conv.id
  GROUP BY g, s.kind`;

const SUGGESTIONS_SQL = `SELECT g,
    count(*) FILTER (WHERE s.outcome IS NOT NULL)::int AS decided,
    count(*) FILTER (WHERE s.outcome = 'accepted')::int AS accepted,
    count(*) FILTER (WHERE s.outcome = 'edited')::int AS edited,
    count(*) FILTER (WHERE s.outcome = 'rejected')::int AS rejected,
    avg(s.edit_distance) FILTER (WHERE s.outcome = 'edited')::float8 AS avg_edit
  FROM conv JOIN suggestions s ON s.conversation_id = conv.id
  GROUP BY g`;

const HELPFUL_SQL = `SELECT g, count(*)::int AS votes, count(*) FILTER (WHERE f.helpful)::int AS helpful
  FROM conv JOIN message_feedback f ON f.conversation_id = conv.id
  GROUP BY g`;

// Contacts who complained (a customer message at or below the threshold) in two or more conversations.
const complaintsSql = (threshold: number) => (add: (v: unknown) => string) =>
  `SELECT g, count(*)::int AS contacts, COALESCE(sum(n), 0)::int AS conversations
  FROM (SELECT g, conv.contact_id, count(*) AS n FROM conv
        WHERE EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conv.id AND m.role = 'customer'
                      AND m.sentiment_score <= ${add(threshold)}::float8)
        GROUP BY g, conv.contact_id HAVING count(*) >= 2) r
  GROUP BY g`;

const dailySql = (idleBefore: Date) => (add: (v: unknown) => string) =>
  `SELECT to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
    count(*)::int AS conversations, count(*) FILTER (WHERE contained)::int AS contained,
    count(*) FILTER (WHERE handed_off)::int AS handed_off
  FROM (SELECT conv.created_at, ${containedSql('conv', add(idleBefore.toISOString()))} AS contained,
          EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = conv.id) AS handed_off FROM conv) x
  GROUP BY 1 ORDER BY 1`;

const GROUP_EXPR: Record<KpiDimension | 'all', string> = {
  all: "'all'::text",
  channel: 'c.channel',
  team: 'c.team',
  lang: 'c.lang',
};

function emptyGroup(key: string | null, windowHours: number): KpiGroup {
  return {
    key,
    conversations: 0,
    containment: { contained: 0, rate: null },
    handoffs: { conversations: 0, rate: null, byReason: {} },
    firstResponse: {
      bot: { count: 0, avgSeconds: null, medianSeconds: null },
      human: { count: 0, avgSeconds: null, medianSeconds: null },
    },
    resolution: { resolved: 0, avgSeconds: null },
    firstContactResolution: { ended: 0, resolvedFirstTime: 0, rate: null, windowHours },
    csat: { responses: 0, average: null, satisfied: 0, rate: null },
    nps: { responses: 0, promoters: 0, detractors: 0, score: null },
    ces: { responses: 0, average: null },
    suggestions: {
      decided: 0,
      accepted: 0,
      edited: 0,
      rejected: 0,
      acceptanceRate: null,
      editRate: null,
      avgEditDistance: null,
    },
    helpfulness: { votes: 0, helpful: 0, notHelpful: 0, rate: null },
    repeatedComplaints: { contacts: 0, conversations: 0 },
  };
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const int = (v: unknown) => Number(v ?? 0);

async function groupsBy(
  db: Queryable,
  scope: ReportScope,
  dimension: KpiDimension | 'all',
  settings: Required<KpiSettings>,
): Promise<KpiGroup[]> {
  const expr = GROUP_EXPR[dimension];
  const idleBefore = new Date(settings.now.getTime() - settings.idleMinutes * 60_000);
  const run = async (body: (add: (v: unknown) => string) => string) => {
    const q = query(scope, expr, body);
    return (await db.query(q.sql, q.params)) as Rows;
  };
  const [volume, reasons, response, survey, suggestions, helpful, complaints] = await Promise.all([
    run(volumeSql(settings, idleBefore)),
    run(() => REASONS_SQL),
    run(() => RESPONSE_SQL),
    run(() => SURVEYS_SQL),
    run(() => SUGGESTIONS_SQL),
    run(() => HELPFUL_SQL),
    run(complaintsSql(settings.negativeSentiment)),
  ]);
  const groups = new Map<string | null, KpiGroup>();
  const groupOf = (key: unknown) => {
    const k = key === null || key === undefined ? null : String(key);
    let g = groups.get(k);
    if (!g) {
      g = emptyGroup(k, settings.fcrWindowHours);
      groups.set(k, g);
    }
    return g;
  };
  for (const r of volume) {
    const g = groupOf(r.g);
    g.conversations = int(r.conversations);
    g.containment = { contained: int(r.contained), rate: rate(int(r.contained), g.conversations) };
    g.handoffs.conversations = int(r.handed_off);
    g.handoffs.rate = rate(int(r.handed_off), g.conversations);
    g.resolution = { resolved: int(r.resolved), avgSeconds: num(r.avg_resolution) };
    g.firstContactResolution = {
      ended: int(r.ended),
      resolvedFirstTime: int(r.first_time),
      rate: rate(int(r.first_time), int(r.ended)),
      windowHours: settings.fcrWindowHours,
    };
  }
  for (const r of reasons) {
    const g = groupOf(r.g);
    g.handoffs.byReason[String(r.reason)] = { count: int(r.n), rate: rate(int(r.n), g.conversations) };
  }
  for (const r of response) {
    const g = groupOf(r.g);
    g.firstResponse = {
      bot: { count: int(r.bot_n), avgSeconds: num(r.bot_avg), medianSeconds: num(r.bot_p50) },
      human: { count: int(r.human_n), avgSeconds: num(r.human_avg), medianSeconds: num(r.human_p50) },
    };
  }
  for (const r of survey) {
    const g = groupOf(r.g);
    const n = int(r.n);
    if (r.kind === 'csat')
      g.csat = { responses: n, average: num(r.average), satisfied: int(r.satisfied), rate: rate(int(r.satisfied), n) };
    if (r.kind === 'nps') {
      const score = n ? ((int(r.promoters) - int(r.detractors)) / n) * 100 : null;
      g.nps = { responses: n, promoters: int(r.promoters), detractors: int(r.detractors), score };
    }
    if (r.kind === 'ces') g.ces = { responses: n, average: num(r.average) };
  }
  for (const r of suggestions) {
    const g = groupOf(r.g);
    const decided = int(r.decided);
    g.suggestions = {
      decided,
      accepted: int(r.accepted),
      edited: int(r.edited),
      rejected: int(r.rejected),
      acceptanceRate: rate(int(r.accepted), decided),
      editRate: rate(int(r.edited), decided),
      avgEditDistance: num(r.avg_edit),
    };
  }
  for (const r of helpful) {
    const g = groupOf(r.g);
    const votes = int(r.votes);
    g.helpfulness = {
      votes,
      helpful: int(r.helpful),
      notHelpful: votes - int(r.helpful),
      rate: rate(int(r.helpful), votes),
    };
  }
  for (const r of complaints) {
    groupOf(r.g).repeatedComplaints = { contacts: int(r.contacts), conversations: int(r.conversations) };
  }
  return [...groups.values()].sort(
    (a, b) => b.conversations - a.conversations || String(a.key).localeCompare(String(b.key)),
  );
}

/** Every KPI over the conversations opened in the scope's period, overall and optionally by a dimension. */
export async function kpiReport(
  db: Queryable,
  scope: ReportScope,
  options: KpiSettings & { by?: KpiDimension },
): Promise<KpiReport> {
  const settings = { ...options, now: options.now ?? new Date() };
  const idleBefore = new Date(settings.now.getTime() - settings.idleMinutes * 60_000);
  const daily = query(scope, GROUP_EXPR.all, dailySql(idleBefore));
  const [overall, groups, days] = await Promise.all([
    groupsBy(db, scope, 'all', settings),
    options.by ? groupsBy(db, scope, options.by, settings) : Promise.resolve([]),
    db.query(daily.sql, daily.params) as Promise<Rows>,
  ]);
  return {
    from: scope.from.toISOString(),
    to: scope.to.toISOString(),
    overall: overall[0] ?? emptyGroup('all', settings.fcrWindowHours),
    by: options.by,
    groups,
    daily: days.map((d) => ({
      day: String(d.day),
      conversations: int(d.conversations),
      contained: int(d.contained),
      handedOff: int(d.handed_off),
    })),
  };
}
