-- The intent model: per-article weight vectors of a linear classifier trained at ingestion
-- on each article's title and example questions. Scoring is an inner product, so pgvector
-- serves it like any other vector search.
CREATE TABLE article_intents (
  article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  model text NOT NULL,
  weights vector NOT NULL,
  bias real NOT NULL,
  trained_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (article_id, model)
);
