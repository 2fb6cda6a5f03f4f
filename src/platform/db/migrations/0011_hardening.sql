-- Hardening (issue 19): login throttling, API key expiry and lineage.

-- Failed logins per account ("account:<email>") and per client address ("address:<ip>"):
-- counted in a window, locked until a time once the limit is reached. In the database, so
-- every API process sees the same counts.
CREATE TABLE login_throttle (
  key text PRIMARY KEY,
  failures int NOT NULL DEFAULT 0,
  window_started timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz
);

-- Keys expire; a key minted by another key records it (a key never mints above itself).
ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
ALTER TABLE api_keys ADD COLUMN created_by_key uuid REFERENCES api_keys(id) ON DELETE SET NULL;
