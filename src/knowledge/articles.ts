import type { Queryable } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';
import type { Article, ArticleContent, ArticleStatus } from './article.js';

/** The versioned fields of an article (a new version records which of them changed). */
export const FIELDS = ['title', 'lang', 'tags', 'team', 'questions', 'body', 'status'] as const;
type Field = (typeof FIELDS)[number];

export interface ArticleVersion extends ArticleContent {
  version: number;
  changed_fields: string[];
  change_note: string | null;
  changed_by: string | null;
  changed_at: Date;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Someone else saved a newer version between reading the article and writing it. */
export class VersionConflictError extends Error {
  constructor(
    readonly articleId: string,
    readonly expected: number,
  ) {
    super(`article ${articleId} changed while it was being edited (expected version ${expected}); reload and retry`);
  }
}

export function changedFields(before: ArticleContent, after: ArticleContent): Field[] {
  return FIELDS.filter((f) => !same(before[f], after[f]));
}

async function recordVersion(
  tx: Queryable,
  a: ArticleContent,
  version: number,
  changed: string[],
  by: string | null,
  note: string | null,
) {
  await tx.query(
    `INSERT INTO article_versions (article_id, version, title, lang, tags, team, questions, body, status, changed_fields, change_note, changed_by)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7::text[], $8, $9, $10::text[], $11, $12)`,
    [a.id, version, a.title, a.lang, a.tags, a.team, a.questions, a.body, a.status, changed, note, by],
  );
}

export async function getArticle(db: Queryable, id: string): Promise<Article | undefined> {
  return one<Article>(db, 'SELECT * FROM articles WHERE id = $1', [id]);
}

export async function createArticle(
  tx: Queryable,
  a: ArticleContent,
  meta: { by?: string | null; note?: string | null; sourcePath?: string | null } = {},
): Promise<Article> {
  const row = await one<Article>(
    tx,
    `INSERT INTO articles (id, title, lang, tags, team, questions, body, status, version, source_path, updated_by)
     VALUES ($1, $2, $3, $4::text[], $5, $6::text[], $7, $8, 1, $9, $10) RETURNING *`,
    [a.id, a.title, a.lang, a.tags, a.team, a.questions, a.body, a.status, meta.sourcePath ?? null, meta.by ?? null],
  );
  await recordVersion(tx, a, 1, [...FIELDS], meta.by ?? null, meta.note ?? 'created');
  return row as Article;
}

/** Writes a new version when anything changed; returns the article and what changed. */
export async function updateArticle(
  tx: Queryable,
  current: Article,
  next: ArticleContent,
  meta: { by?: string | null; note?: string | null; sourcePath?: string | null } = {},
): Promise<{ article: Article; changed: Field[] }> {
  const changed = changedFields(current, next);
  if (changed.length === 0) return { article: current, changed };
  const version = current.version + 1;
  const row = await one<Article>(
    tx,
    `UPDATE articles SET title = $2, lang = $3, tags = $4::text[], team = $5, questions = $6::text[], body = $7, status = $8,
       version = $9, source_path = COALESCE($10, source_path), updated_by = $11, updated_at = now()
     WHERE id = $1 AND version = $12 RETURNING *`,
    [
      next.id,
      next.title,
      next.lang,
      next.tags,
      next.team,
      next.questions,
      next.body,
      next.status,
      version,
      meta.sourcePath ?? null,
      meta.by ?? null,
      current.version,
    ],
  );
  // The version guard makes a concurrent edit fail instead of silently overwriting it.
  if (!row) throw new VersionConflictError(current.id, current.version);
  await recordVersion(tx, next, version, changed, meta.by ?? null, meta.note ?? null);
  return { article: row, changed };
}

export async function setStatus(tx: Queryable, current: Article, status: ArticleStatus, by: string | null) {
  return updateArticle(tx, current, { ...contentOf(current), status }, { by, note: `status → ${status}` });
}

export async function listVersions(db: Queryable, id: string): Promise<ArticleVersion[]> {
  return db.query<ArticleVersion>(
    `SELECT article_id AS id, version, title, lang, tags, team, questions, body, status, changed_fields, change_note, changed_by, changed_at
     FROM article_versions WHERE article_id = $1 ORDER BY version DESC`,
    [id],
  );
}

export async function getVersion(db: Queryable, id: string, version: number): Promise<ArticleVersion | undefined> {
  return one<ArticleVersion>(
    db,
    `SELECT article_id AS id, version, title, lang, tags, team, questions, body, status, changed_fields, change_note, changed_by, changed_at
     FROM article_versions WHERE article_id = $1 AND version = $2`,
    [id, version],
  );
}

export interface ArticleFilter {
  status?: ArticleStatus;
  lang?: 'ar' | 'en';
  tag?: string;
  team?: string;
  /** Words in the title, example questions or body. */
  q?: string;
  limit?: number;
  offset?: number;
}

const FILTER = `($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR lang = $2) AND ($3::text IS NULL OR $3 = ANY(tags))
  AND ($4::text IS NULL OR team = $4)
  AND ($5::text IS NULL OR title ILIKE $5 OR body ILIKE $5 OR array_to_string(questions, ' ') ILIKE $5)`;

/** The filter's parameters $1..$5; the search words match as a substring, LIKE's wildcards escaped. */
const filterParams = (f: ArticleFilter) => [
  f.status ?? null,
  f.lang ?? null,
  f.tag ?? null,
  f.team ?? null,
  f.q ? `%${f.q.replace(/[\\%_]/g, '\\$&')}%` : null,
];

export async function listArticles(db: Queryable, f: ArticleFilter = {}): Promise<Article[]> {
  return db.query<Article>(`SELECT * FROM articles WHERE ${FILTER} ORDER BY id LIMIT $6 OFFSET $7`, [
    ...filterParams(f),
    f.limit ?? 1000,
    f.offset ?? 0,
  ]);
}

export async function countArticles(db: Queryable, f: Omit<ArticleFilter, 'limit' | 'offset'> = {}): Promise<number> {
  const row = await one<{ n: number }>(db, `SELECT count(*)::int AS n FROM articles WHERE ${FILTER}`, filterParams(f));
  return row?.n ?? 0;
}

export function contentOf(a: ArticleContent): ArticleContent {
  return {
    id: a.id,
    title: a.title,
    lang: a.lang,
    tags: [...a.tags],
    team: a.team,
    questions: [...a.questions],
    body: a.body,
    status: a.status,
  };
}
