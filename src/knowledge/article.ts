import { z } from 'zod';

export const ARTICLE_STATUSES = ['draft', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

export const TITLE_MAX = 300;

const tag = z.string().trim().min(1).max(60);

/** The front matter of DESIGN.md's knowledge-base format; the id defaults to the file name. */
export const frontMatterSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[^\s/\\]{1,200}$/, 'must be 1–200 characters without spaces or slashes')
    .optional(),
  // A title is what "did you mean …?" lists and the answer cites: a question-length line. A longer
  // one is refused, saying so, rather than cut (the cut would change what the article says).
  title: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(TITLE_MAX, {
      error: (issue) =>
        `must be at most ${TITLE_MAX} characters (it has ${String(issue.input ?? '').length}): shorten it; the full question can go in questions or the body`,
    }),
  lang: z.enum(['ar', 'en'], { error: 'must be ar or en' }),
  tags: z.array(tag).max(30).default([]),
  team: z.string().trim().min(1).max(60).optional(),
  questions: z.array(z.string().trim().min(1).max(500)).max(100).default([]),
  status: z.enum(ARTICLE_STATUSES, { error: 'must be draft, published or archived' }).default('published'),
});

export interface ArticleContent {
  id: string;
  title: string;
  lang: 'ar' | 'en';
  tags: string[];
  team: string | null;
  questions: string[];
  body: string;
  status: ArticleStatus;
}

export interface Article extends ArticleContent {
  version: number;
  source_path: string | null;
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
}

export const MAX_BODY_CHARS = 100_000;
