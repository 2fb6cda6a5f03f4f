import type { Db } from '../platform/db/db.js';
import type { Events } from '../platform/events/outbox.js';

export type TopicMetric = 'handoffs' | 'negative_sentiment';

export interface TopicAlertRule {
  windowMinutes: number;
  baselineWindows: number;
  factor: number;
  minCount: number;
  negativeSentiment: number;
}

export interface TopicAlert {
  id: string;
  tag: string;
  metric: TopicMetric;
  windowStart: string;
  windowEnd: string;
  count: number;
  /** Mean per window over the baseline windows. */
  baseline: number;
  createdAt: string;
  deliveredAt: string | null;
}

export const TOPIC_ALERTED = 'topic.alerted';

// Each signal with the article tags of its topic. A hand-off's topic is its best candidate; a
// negative message's is the article of its hand-off, else of the bot's reply, else the
// conversation's last article.
const SIGNALS_SQL = `
SELECT 'handoffs' AS metric, h.created_at AS at, t.tag
FROM handoffs h
JOIN articles a ON a.id = h.candidates->0->>'articleId'
CROSS JOIN LATERAL unnest(a.tags) AS t(tag)
WHERE h.created_at >= $1::timestamptz AND h.created_at < $2::timestamptz
UNION ALL
SELECT 'negative_sentiment', m.created_at, t.tag
FROM messages m
JOIN conversations c ON c.id = m.conversation_id
LEFT JOIN LATERAL (SELECT h.candidates->0->>'articleId' AS id FROM handoffs h WHERE h.message_id = m.id LIMIT 1) ha ON true
LEFT JOIN LATERAL (SELECT r.citations->0->>'articleId' AS id FROM messages r
                   WHERE r.reply_to = m.id AND r.role = 'bot' ORDER BY r.seq LIMIT 1) ra ON true
JOIN articles a ON a.id = COALESCE(ha.id, ra.id, c.last_article_id)
CROSS JOIN LATERAL unnest(a.tags) AS t(tag)
WHERE m.role = 'customer' AND m.sentiment_score <= $3::float8
  AND m.created_at >= $1::timestamptz AND m.created_at < $2::timestamptz`;

interface AlertRow {
  id: string;
  tag: string;
  metric: TopicMetric;
  window_start: Date;
  window_end: Date;
  count: number;
  baseline: number;
  created_at: Date;
  delivered_at: Date | null;
}

export const alertView = (r: AlertRow): TopicAlert => ({
  id: r.id,
  tag: r.tag,
  metric: r.metric,
  windowStart: new Date(r.window_start).toISOString(),
  windowEnd: new Date(r.window_end).toISOString(),
  count: r.count,
  baseline: Number(r.baseline),
  createdAt: new Date(r.created_at).toISOString(),
  deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
});

/**
 * Compares each tag's signals in the last window with the mean of the windows before it, and
 * raises an alert (with a `topic.alerted` event, in one transaction) for each that is at least
 * `factor` times that mean and at least `minCount`. The bucket (the window-aligned clock) makes it
 * idempotent: one alert per tag and metric per window, however often or wherever this runs.
 */
export async function checkTopicAlerts(
  deps: { db: Db; events: Events },
  rule: TopicAlertRule,
  now = new Date(),
): Promise<TopicAlert[]> {
  const windowMs = rule.windowMinutes * 60_000;
  const windowStart = new Date(now.getTime() - windowMs);
  const baselineStart = new Date(windowStart.getTime() - rule.baselineWindows * windowMs);
  const bucket = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const rows = await deps.db.query<{ metric: TopicMetric; tag: string; current: number; before: number }>(
    `SELECT metric, tag, count(*) FILTER (WHERE at >= $4::timestamptz)::int AS current,
            count(*) FILTER (WHERE at < $4::timestamptz)::int AS before
     FROM (${SIGNALS_SQL}) s GROUP BY metric, tag`,
    [baselineStart.toISOString(), now.toISOString(), rule.negativeSentiment, windowStart.toISOString()],
  );
  const rising = rows
    .map((r) => ({ ...r, baseline: r.before / rule.baselineWindows }))
    .filter((r) => r.current >= rule.minCount && r.current >= rule.factor * r.baseline);
  const raised: TopicAlert[] = [];
  for (const r of rising) {
    const alert = await deps.events.transaction(async (tx, emit) => {
      const [row] = await tx.query<AlertRow>(
        `INSERT INTO topic_alerts (tag, metric, bucket, window_start, window_end, count, baseline)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tag, metric, bucket) DO NOTHING RETURNING *`,
        [r.tag, r.metric, bucket.toISOString(), windowStart.toISOString(), now.toISOString(), r.current, r.baseline],
      );
      if (!row) return undefined;
      const view = alertView(row);
      await emit({ type: TOPIC_ALERTED, data: { ...view } });
      return view;
    });
    if (alert) raised.push(alert);
  }
  return raised;
}

/** Alerts raised since `since`, newest first (the dashboard's list). */
export async function recentAlerts(db: Db, since: Date, limit = 50): Promise<TopicAlert[]> {
  const rows = await db.query<AlertRow>(
    'SELECT * FROM topic_alerts WHERE created_at >= $1 ORDER BY created_at DESC, id LIMIT $2',
    [since.toISOString(), limit],
  );
  return rows.map(alertView);
}
