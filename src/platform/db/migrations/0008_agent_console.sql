-- The agent console: agents' replies and internal notes, templates, suggested replies and
-- their outcomes, capacity for auto-assignment, and waiting-time (SLA) breaches.

-- Who wrote an agent message; notes stay inside (never delivered, never on the customer's feed).
ALTER TABLE messages ADD CONSTRAINT messages_author_fk FOREIGN KEY (author_id) REFERENCES staff (id) ON DELETE SET NULL;
ALTER TABLE messages ADD COLUMN internal boolean NOT NULL DEFAULT false;

-- How many conversations an agent takes at once, and whether they take new ones now.
ALTER TABLE staff ADD COLUMN capacity integer NOT NULL DEFAULT 5 CHECK (capacity BETWEEN 0 AND 100);
ALTER TABLE staff ADD COLUMN available boolean NOT NULL DEFAULT false;

ALTER TABLE conversations ADD COLUMN sla_breached_at timestamptz;
CREATE INDEX conversations_assigned ON conversations (assigned_to) WHERE status = 'assigned';

CREATE TABLE templates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  shortcode text NOT NULL CHECK (shortcode ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  lang text NOT NULL CHECK (lang IN ('ar', 'en')),
  title text NOT NULL,
  body text NOT NULL,
  tags text[] NOT NULL DEFAULT '{}',
  created_by uuid REFERENCES staff (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (shortcode, lang)
);

-- Every reply suggested to an agent, and what became of it: accepted as is, edited then sent,
-- or rejected, with the final text and the edit distance (acceptance and edit rates).
CREATE TABLE suggestions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('knowledge', 'llm', 'template', 'deescalation')),
  content text NOT NULL,
  lang text NOT NULL CHECK (lang IN ('ar', 'en')),
  citations jsonb NOT NULL DEFAULT '[]',
  template_id uuid REFERENCES templates (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  outcome text CHECK (outcome IN ('accepted', 'edited', 'rejected')),
  final_text text,
  edit_distance integer,
  decided_by uuid REFERENCES staff (id) ON DELETE SET NULL,
  decided_at timestamptz,
  reply_id uuid REFERENCES messages (id) ON DELETE SET NULL
);
CREATE INDEX suggestions_message ON suggestions (message_id);
CREATE INDEX suggestions_decided ON suggestions (decided_at) WHERE outcome IS NOT NULL;
