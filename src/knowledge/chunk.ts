import { createHash } from 'node:crypto';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { terms } from '../text/tokenise.js';
import type { ArticleContent } from './article.js';

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

// Markdown structure first, then Arabic and Latin sentence ends, then words.
const splitter = new RecursiveCharacterTextSplitter({
  chunkSize: 700,
  chunkOverlap: 60,
  separators: ['\n## ', '\n### ', '\n\n', '\n', '. ', '؟ ', '? ', '! ', '، ', '؛ ', ', ', ' ', ''],
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
  const passages = (await splitter.splitText(a.body)).map((p) => p.trim()).filter(Boolean);
  for (const [i, p] of passages.entries()) add('passage', i, p, `${a.title}\n${p}`);
  return drafts;
}
