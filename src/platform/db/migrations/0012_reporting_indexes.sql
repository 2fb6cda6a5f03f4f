-- Every KPI counts the conversations opened in a period: without this index each report read
-- the whole conversations table.
CREATE INDEX IF NOT EXISTS conversations_created ON conversations (created_at);
