-- The knowledge editor: learned phrasing proposed from conversations agents resolved, and the
-- article search the editor console's list uses.

-- A customer's (redacted) question, proposed as an example question of the article an agent's
-- reply cited when the conversation was resolved. One proposal per conversation and article,
-- so a redelivered conversation.resolved proposes nothing twice.
CREATE TABLE learned_phrasings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  question text NOT NULL CHECK (length(question) BETWEEN 1 AND 500),
  lang text NOT NULL CHECK (lang IN ('ar', 'en')),
  conversation_id uuid REFERENCES conversations (id) ON DELETE SET NULL,
  reply_id uuid REFERENCES messages (id) ON DELETE SET NULL,
  status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'dismissed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  decided_by text,
  -- the article version that took the question in (accepted only)
  article_version int,
  UNIQUE (conversation_id, article_id)
);
CREATE INDEX learned_phrasings_status ON learned_phrasings (status, created_at DESC);

-- Knowledge gaps read low-confidence hand-offs and "not helpful" votes by recency.
CREATE INDEX handoffs_created ON handoffs (created_at);
