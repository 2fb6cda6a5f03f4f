import { createHash } from 'node:crypto';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { terms } from '../text/tokenise.js';
import type { ArticleContent } from './article.js';
import { sectionsOf } from './sections.js';

export type ChunkKind = 'title' | 'question' | 'passage' | 'profile';

export interface ChunkDraft {
  kind: ChunkKind;
  position: number;
  lang: 'ar' | 'en';
  /** What a reader sees (the passage quoted in an answer). */
  content: string;
  /** What is embedded: passages carry their article title so they are found by topic. */
  embedText: string;
  /** Stemmed terms for the full-text index. */
  searchText: string;
  contentHash: string;
}

/**
 * A section longer than this is quoted in pieces, each under its heading. Sections are what an
 * answer quotes whole, so this is about a long answer, not the embedding's reach.
 */
export const MAX_PASSAGE_CHARS = 1500;

// Only for one paragraph or list longer than a passage: sentence ends, then words.
const splitter = new RecursiveCharacterTextSplitter({
  chunkSize: MAX_PASSAGE_CHARS,
  chunkOverlap: 60,
  separators: ['\n', '. ', '؟ ', '? ', '! ', '، ', '؛ ', ', ', ' ', ''],
});

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * An article becomes one title chunk, one chunk per example question (so a customer's
 * phrasing can match how customers asked before) and Markdown-aware body passages.
 */
export async function chunkArticle(a: ArticleContent): Promise<ChunkDraft[]> {
  const drafts: ChunkDraft[] = [];
  const add = (kind: ChunkKind, position: number, content: string, embedText: string) => {
    drafts.push({
      kind,
      position,
      lang: a.lang,
      content,
      embedText,
      searchText: terms(embedText).join(' '),
      contentHash: hashText(embedText),
    });
  };
  add('title', 0, a.title, a.title);
  // The article's profile: title and every example question together, matched like a
  // class centroid, which is steadier than any single example.
  if (a.questions.length) {
    const profile = [a.title, ...a.questions].join('\n');
    add('profile', 0, profile, profile);
  }
  for (const [i, q] of a.questions.entries()) add('question', i, q, q);
  const passages = await passagesOf(a.body);
  for (const [i, p] of passages.entries()) add('passage', i, p, `${a.title}\n${p}`);
  return drafts;
}

/**
 * The body's passages: the opening (the article's summary) and each section whole, starting
 * with its heading line, so an answer quotes the section that answers, a list with the sentence
 * that leads into it, a table with its rows. A heading with no text of its own (a parent of
 * subsections) goes with the section after it. A section over MAX_PASSAGE_CHARS is cut between
 * paragraphs, never between a paragraph ending in a colon and what follows it, each piece under
 * the section's heading.
 */
export async function passagesOf(body: string): Promise<string[]> {
  const out: string[] = [];
  let parents: string[] = [];
  for (const s of sectionsOf(body)) {
    const [first, ...rest] = s.text.split('\n');
    const headingLine = s.heading === null ? '' : (first as string);
    const own = (s.heading === null ? s.text : rest.join('\n')).trim();
    if (s.heading !== null && !own) {
      parents.push(headingLine);
      continue;
    }
    const heading = [...parents, headingLine].filter(Boolean).join('\n');
    parents = [];
    const whole = heading ? `${heading}\n${own}` : own;
    if (whole.length <= MAX_PASSAGE_CHARS) out.push(whole);
    else out.push(...(await pieces(own, heading)));
  }
  if (parents.length) out.push(parents.join('\n'));
  return out;
}

async function pieces(text: string, heading: string): Promise<string[]> {
  const room = MAX_PASSAGE_CHARS - heading.length - 1;
  // Paragraphs and lists; a paragraph that announces what follows (ends in a colon) stays with it.
  const blocks: string[] = [];
  for (const block of text.split(/\n[ \t]*\n/)) {
    const b = block.trim();
    if (!b) continue;
    const last = blocks.at(-1);
    if (last !== undefined && /[:：]$/.test(last)) blocks[blocks.length - 1] = `${last}\n${b}`;
    else blocks.push(b);
  }
  const parts: string[] = [];
  let current = '';
  for (const block of blocks) {
    for (const b of block.length <= room ? [block] : await splitter.splitText(block)) {
      if (current && current.length + 2 + b.length > room) {
        parts.push(current);
        current = '';
      }
      current = current ? `${current}\n\n${b}` : b;
    }
  }
  if (current) parts.push(current);
  return parts.map((p) => (heading ? `${heading}\n${p}` : p));
}
