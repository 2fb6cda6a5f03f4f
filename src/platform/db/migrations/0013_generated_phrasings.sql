-- Paraphrases of an article's example questions written by a model at ingestion
-- (LLM_PARAPHRASES): kept with learned phrasing, marked generated, live at once (indexed as
-- question chunks of the article, never added to the article itself) and taken out by an
-- editor's dismissal.
ALTER TABLE learned_phrasings
  ADD COLUMN origin text NOT NULL DEFAULT 'conversation' CHECK (origin IN ('conversation', 'generated')),
  -- Gulf Arabic, MSA or English (generated only)
  ADD COLUMN variety text CHECK (variety IN ('gulf', 'msa', 'en')),
  -- the example question it paraphrases (hash of its normalised text): an unchanged question is
  -- not sent again, and the paraphrases of a question the article no longer has are removed
  ADD COLUMN source_hash text;
CREATE INDEX learned_phrasings_generated ON learned_phrasings (article_id, source_hash) WHERE origin = 'generated';
