-- WhatsApp webhooks, stored before Meta gets its 200 and handled by a job: a crash or a lost
-- job loses nothing, because a sweep picks up any row not handled yet. A handled row is deleted
-- (the inbox holds what it said), so phone numbers and texts do not linger here.
CREATE TABLE whatsapp_webhooks (
  id bigserial PRIMARY KEY,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  -- The job handling it holds it until then; a sweep takes over a row whose claim ran out.
  claimed_until timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX whatsapp_webhooks_received ON whatsapp_webhooks (received_at);

-- Each request one outbound message became (long replies are split, buttons follow), claimed
-- before it is sent and given Meta's id once accepted: a retried delivery job skips the parts
-- already sent, so the customer never gets a part twice.
CREATE TABLE whatsapp_sends (
  message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  part integer NOT NULL,
  wamid text,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (message_id, part)
);
