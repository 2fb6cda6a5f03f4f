-- The inbox: a customer message counts as handled only once its outcome is stored, turns of
-- one conversation hold a lease, and replies carry their delivery state.
ALTER TABLE messages ADD COLUMN decided_at timestamptz;
ALTER TABLE messages ADD COLUMN reply_to uuid REFERENCES messages (id) ON DELETE SET NULL;
ALTER TABLE messages ADD COLUMN delivery_status text CHECK (delivery_status IN ('queued', 'sent', 'delivered', 'read', 'failed'));
ALTER TABLE messages ADD COLUMN delivery_error text;
ALTER TABLE messages ADD COLUMN delivered_at timestamptz;
-- Messages stored before this migration were answered in the same call that stored them.
UPDATE messages SET decided_at = created_at WHERE role = 'customer';
CREATE INDEX messages_undecided ON messages (conversation_id, seq) WHERE role = 'customer' AND decided_at IS NULL;
CREATE INDEX messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL;

ALTER TABLE conversations ADD COLUMN turn_owner text;
ALTER TABLE conversations ADD COLUMN turn_lease_until timestamptz;

ALTER TABLE handoffs DROP CONSTRAINT handoffs_reason_check;
ALTER TABLE handoffs ADD CONSTRAINT handoffs_reason_check CHECK (reason IN ('low_confidence', 'clarification_failed', 'customer_request', 'negative_sentiment', 'sensitive_topic', 'repeated_failure', 'model_unavailable'));

-- The outbox: every change's events, written in the change's transaction. Ids are taken under
-- an advisory lock held to commit, so they become visible in id order and a reader resuming
-- after id N never misses a smaller id committed later.
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  type text NOT NULL,
  conversation_id uuid,
  data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz
);
CREATE INDEX events_undispatched ON events (id) WHERE dispatched_at IS NULL;
CREATE INDEX events_conversation ON events (conversation_id, id);

-- Which subscriber has handled which event: a redelivered event runs each subscriber once.
CREATE TABLE event_handled (
  event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  subscriber text NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, subscriber)
);

-- The oldest id a live-feed client can still resume after.
CREATE TABLE event_retention (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  pruned_through bigint NOT NULL DEFAULT 0
);
INSERT INTO event_retention DEFAULT VALUES;

-- A customer (the widget) holds a token for exactly one conversation.
CREATE TABLE customer_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX customer_tokens_conversation ON customer_tokens (conversation_id);
