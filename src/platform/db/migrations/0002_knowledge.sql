-- Articles with every version kept, their chunks (title, example questions, passages) with
-- full-text vectors, and embeddings keyed by content hash and model so unchanged text is
-- never embedded twice and vectors of two models never mix.
CREATE TABLE articles (
  id text PRIMARY KEY,
  title text NOT NULL,
  lang text NOT NULL CHECK (lang IN ('ar', 'en')),
  tags text[] NOT NULL DEFAULT '{}',
  team text,
  questions text[] NOT NULL DEFAULT '{}',
  body text NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  version int NOT NULL DEFAULT 1,
  source_path text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);
CREATE INDEX articles_status ON articles (status);

CREATE TABLE article_versions (
  article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  version int NOT NULL,
  title text NOT NULL,
  lang text NOT NULL,
  tags text[] NOT NULL,
  team text,
  questions text[] NOT NULL,
  body text NOT NULL,
  status text NOT NULL,
  changed_fields text[] NOT NULL DEFAULT '{}',
  change_note text,
  changed_by text,
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (article_id, version)
);

CREATE TABLE chunks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  article_version int NOT NULL,
  kind text NOT NULL CHECK (kind IN ('title', 'question', 'passage', 'profile')),
  position int NOT NULL,
  lang text NOT NULL,
  content text NOT NULL,
  search_text text NOT NULL,
  content_hash text NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED,
  UNIQUE (article_id, kind, position)
);
CREATE INDEX chunks_tsv ON chunks USING gin (tsv);
CREATE INDEX chunks_hash ON chunks (content_hash);

CREATE TABLE embeddings (
  content_hash text NOT NULL,
  model text NOT NULL,
  dims int NOT NULL,
  embedding vector NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (content_hash, model)
);
