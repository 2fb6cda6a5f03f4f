import { Document, parse as parseYaml, type YAMLSeq } from 'yaml';
import { type ArticleContent, frontMatterSchema, MAX_BODY_CHARS } from './article.js';

export class ArticleFormatError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${file}: ${field}: ${reason}`);
  }
}

const FRONT_MATTER = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Parses one article file; every problem names the file and the field. */
export function parseArticle(markdown: string, file: string, defaultId: string): ArticleContent {
  const match = markdown.match(FRONT_MATTER);
  if (!match) throw new ArticleFormatError(file, 'front matter', 'the file must start with a --- YAML block ---');
  let raw: unknown;
  try {
    raw = parseYaml(match[1] as string);
  } catch (error) {
    throw new ArticleFormatError(file, 'front matter', `invalid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = frontMatterSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field =
      issue.code === 'unrecognized_keys' ? (issue.keys as string[]).join(', ') : issue.path.join('.') || 'front matter';
    throw new ArticleFormatError(file, field, issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message);
  }
  const body = (match[2] as string).trim();
  if (!body) throw new ArticleFormatError(file, 'body', 'the article has no body');
  if (body.length > MAX_BODY_CHARS)
    throw new ArticleFormatError(file, 'body', `longer than ${MAX_BODY_CHARS} characters`);
  const fm = parsed.data;
  return {
    id: fm.id ?? defaultId,
    title: fm.title,
    lang: fm.lang,
    tags: fm.tags,
    team: fm.team ?? null,
    questions: fm.questions,
    body,
    status: fm.status,
  };
}

/** The file form of an article; parseArticle(renderArticle(a)) gives a back unchanged. */
export function renderArticle(a: ArticleContent): string {
  const fm: Record<string, unknown> = { id: a.id, title: a.title, lang: a.lang, tags: a.tags };
  if (a.team) fm.team = a.team;
  if (a.questions.length) fm.questions = a.questions;
  fm.status = a.status;
  const doc = new Document(fm);
  // Tags on one line, as people write them in DESIGN.md's format.
  const tags = doc.get('tags', true) as YAMLSeq | undefined;
  if (tags) tags.flow = true;
  return `---\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}---\n${a.body}\n`;
}
