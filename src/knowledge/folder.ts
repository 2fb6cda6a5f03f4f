import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { ArticleContent } from './article.js';
import { ArticleFormatError, parseArticle, renderArticle } from './markdown.js';

export const MAX_FILE_BYTES = 1024 * 1024;

export interface FileProblem {
  file: string;
  field: string;
  reason: string;
}

export interface ParsedFolder {
  articles: { file: string; article: ArticleContent }[];
  failed: FileProblem[];
}

async function markdownFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await markdownFiles(full)));
    else if (entry.isFile() && entry.name.endsWith('.md') && entry.name.toLowerCase() !== 'readme.md') out.push(full);
  }
  return out.sort();
}

/**
 * Reads every article of a knowledge-base folder. A bad file is reported (file, field,
 * reason) and left out whole; duplicate ids fail every file that uses them.
 */
export async function readFolder(dir: string): Promise<ParsedFolder> {
  const failed: FileProblem[] = [];
  const parsed: { file: string; article: ArticleContent }[] = [];
  for (const full of await markdownFiles(dir)) {
    const file = relative(dir, full);
    const size = (await stat(full)).size;
    if (size > MAX_FILE_BYTES) {
      failed.push({ file, field: 'file', reason: `larger than ${MAX_FILE_BYTES} bytes (${size})` });
      continue;
    }
    const text = await readFile(full, 'utf8');
    if (text.includes('\uFFFD')) {
      failed.push({ file, field: 'file', reason: 'not valid UTF-8' });
      continue;
    }
    try {
      parsed.push({ file, article: parseArticle(text, file, basename(full, '.md')) });
    } catch (error) {
      if (!(error instanceof ArticleFormatError)) throw error;
      failed.push({ file, field: error.field, reason: error.reason });
    }
  }
  const byId = new Map<string, string[]>();
  for (const p of parsed) byId.set(p.article.id, [...(byId.get(p.article.id) ?? []), p.file]);
  const articles = parsed.filter((p) => {
    const files = byId.get(p.article.id) as string[];
    if (files.length === 1) return true;
    failed.push({
      file: p.file,
      field: 'id',
      reason: `duplicate id "${p.article.id}" (also in ${files.filter((f) => f !== p.file).join(', ')})`,
    });
    return false;
  });
  return { articles, failed: failed.sort((a, b) => a.file.localeCompare(b.file)) };
}

/** Writes articles back as files: to the path they came from, else `<lang>/<id>.md`. */
export async function writeFolder(
  dir: string,
  articles: (ArticleContent & { source_path?: string | null })[],
): Promise<number> {
  for (const a of articles) {
    const path = join(dir, a.source_path ?? join(a.lang, `${a.id}.md`));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, renderArticle(a));
  }
  return articles.length;
}
