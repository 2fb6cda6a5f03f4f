-- Surveys after a conversation is resolved: CSAT always, NPS and CES on a sample. The request
-- says which were asked and until when; one answer per conversation and kind.
CREATE TABLE survey_requests (
  conversation_id uuid PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
  kinds text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

CREATE TABLE survey_responses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('csat', 'nps', 'ces')),
  score integer NOT NULL,
  comment text,
  channel text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (conversation_id, kind),
  CHECK ((kind = 'csat' AND score BETWEEN 1 AND 5) OR (kind = 'nps' AND score BETWEEN 0 AND 10)
    OR (kind = 'ces' AND score BETWEEN 1 AND 7))
);
CREATE INDEX survey_responses_created ON survey_responses (created_at);
