-- Topic alerts: a tag whose hand-offs or negative messages rose well above its own baseline.
-- One row per tag, metric and window bucket, so a sweep that runs twice (or on two processes)
-- raises one alert; the webhook's delivery is recorded on the row.
CREATE TABLE topic_alerts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tag text NOT NULL,
  metric text NOT NULL CHECK (metric IN ('handoffs', 'negative_sentiment')),
  bucket timestamptz NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  count integer NOT NULL,
  baseline real NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  UNIQUE (tag, metric, bucket)
);
CREATE INDEX topic_alerts_created ON topic_alerts (created_at);
