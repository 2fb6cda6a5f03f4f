-- Channels beyond the REST API: the widget and WhatsApp.

-- Outbound: the channel's own id for a sent message (a WhatsApp wamid), so its status
-- callbacks (delivered, read, failed) find the message.
ALTER TABLE messages ADD COLUMN delivery_ref text;
CREATE INDEX messages_delivery_ref ON messages (delivery_ref) WHERE delivery_ref IS NOT NULL;
-- Inbound: a channel's message id is looked up across the contact's conversations, so a
-- redelivery after the conversation changed is still recognised.
CREATE INDEX messages_channel_message_id ON messages (channel_message_id) WHERE channel_message_id IS NOT NULL;

-- "Was this helpful?" on a bot answer: one verdict per answer, the latest wins.
CREATE TABLE message_feedback (
  message_id uuid PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  helpful boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_feedback_created ON message_feedback (created_at);

-- A token of an identified visitor (the site vouched for their id) also reads the contact's
-- earlier conversations; an anonymous visitor's token stays with its one conversation.
ALTER TABLE customer_tokens ADD COLUMN identified boolean NOT NULL DEFAULT false;
