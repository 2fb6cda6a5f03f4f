-- Contacts, conversations, messages and the hand-off log.
CREATE TABLE contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel text NOT NULL,
  external_id text NOT NULL,
  name text,
  lang text CHECK (lang IN ('ar', 'en')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, external_id)
);

CREATE TABLE conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contact_id uuid NOT NULL REFERENCES contacts (id),
  channel text NOT NULL,
  status text NOT NULL DEFAULT 'bot' CHECK (status IN ('bot', 'waiting_human', 'assigned', 'resolved', 'closed')),
  lang text CHECK (lang IN ('ar', 'en')),
  team text,
  priority int NOT NULL DEFAULT 0,
  assigned_to uuid REFERENCES staff (id) ON DELETE SET NULL,
  -- who opened it through the API (an integration sees only its own conversations)
  opened_by_key uuid REFERENCES api_keys (id) ON DELETE SET NULL,
  model_calls int NOT NULL DEFAULT 0,
  bot_failures int NOT NULL DEFAULT 0,
  last_article_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  handed_off_at timestamptz,
  resolved_at timestamptz
);
CREATE INDEX conversations_queue ON conversations (status, priority DESC, handed_off_at);

CREATE TABLE messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  seq int GENERATED ALWAYS AS IDENTITY,
  role text NOT NULL CHECK (role IN ('customer', 'bot', 'agent', 'system')),
  content text NOT NULL,
  lang text,
  channel_message_id text,
  sentiment_score real,
  sentiment_label text,
  confidence real CHECK (confidence BETWEEN 0 AND 1),
  citations jsonb NOT NULL DEFAULT '[]',
  meta jsonb NOT NULL DEFAULT '{}',
  author_id uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_conversation ON messages (conversation_id, seq);
-- A repeated delivery of the same channel message is stored once.
CREATE UNIQUE INDEX messages_channel_dedupe ON messages (conversation_id, channel_message_id) WHERE channel_message_id IS NOT NULL;
-- The bot confidence on every bot message.
ALTER TABLE messages ADD CONSTRAINT bot_messages_have_confidence CHECK (role <> 'bot' OR confidence IS NOT NULL);

CREATE TABLE handoffs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  message_id uuid REFERENCES messages (id) ON DELETE SET NULL,
  reason text NOT NULL CHECK (reason IN ('low_confidence', 'customer_request', 'negative_sentiment', 'sensitive_topic', 'repeated_failure', 'model_unavailable')),
  confidence real,
  sentiment real,
  question text NOT NULL,
  candidates jsonb NOT NULL DEFAULT '[]',
  team text NOT NULL,
  priority int NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  accepted_at timestamptz,
  resolved_at timestamptz,
  outcome text
);
CREATE INDEX handoffs_conversation ON handoffs (conversation_id, created_at);
CREATE INDEX handoffs_reason ON handoffs (reason, created_at);
