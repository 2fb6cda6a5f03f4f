import type { RetrievedArticle } from '../knowledge/retrieve.js';
import type { Answer, Answerer, AnswerInput, AnswerOptions } from './answerer.js';
import { evidenceOf, retrievalConfidence } from './confidence.js';

// Above the longest passage (chunk.ts MAX_PASSAGE_CHARS) with its tables as text: a section is quoted whole.
const MAX_ANSWER_CHARS = 2000;

/**
 * The local answerer: extractive. It quotes the best passage of the best article (in the
 * customer's language when one was retrieved) whole, under its heading, and cites it. It cannot make anything up:
 * every word it sends is in the knowledge base.
 */
export function localAnswerer(): Answerer {
  return {
    kind: 'local',
    async answer({ lang, retrieval }: AnswerInput, options?: AnswerOptions): Promise<Answer> {
      const article = pickArticle(retrieval.articles, lang);
      if (!article)
        return { text: '', citations: [], confidence: 0, answered: false, answerer: 'local', failure: 'no_candidates' };
      const confidence = retrievalConfidence(evidenceOf(retrieval));
      const passage = article.passages[0];
      const text = passage ? quotePassage(passage.content) : article.title;
      // Nothing to stream: the quote exists whole, so it is one draft.
      options?.onText?.(text);
      return {
        text,
        citations: [{ articleId: article.articleId, chunkId: passage?.chunkId ?? 0, title: article.title }],
        confidence,
        answered: true,
        answerer: 'local',
      };
    },
  };
}

/** Best article, but prefer one in the customer's language when it is nearly as good. */
function pickArticle(articles: RetrievedArticle[], lang: string): RetrievedArticle | undefined {
  const [top] = articles;
  if (!top || top.lang === lang) return top;
  const same = articles.find((a) => a.lang === lang);
  return same && same.score >= top.score * 0.6 ? same : top;
}

/**
 * A passage as a chat message: its headings in bold, tables as lines of text (a chat or
 * WhatsApp shows no table), the rest as written. Cut between blocks only past MAX_ANSWER_CHARS.
 */
export function quotePassage(content: string): string {
  const lines = content.trim().split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heading = line.match(/^#{1,6}\s+(.+?)[\s#]*$/);
    if (heading) {
      out.push(`**${(heading[1] as string).replace(/\*\*/g, '')}**`, '');
      continue;
    }
    if (isTableRow(line) && isTableRule(lines[i + 1] ?? '')) {
      const table = [line];
      for (i += 2; i < lines.length && isTableRow(lines[i] as string); i++) table.push(lines[i] as string);
      i--;
      out.push(...tableAsText(table));
      continue;
    }
    out.push(line);
  }
  const text = out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (text.length <= MAX_ANSWER_CHARS) return text;
  const cut = text.slice(0, MAX_ANSWER_CHARS);
  const end = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf('. '), cut.lastIndexOf('۔'));
  return `${cut.slice(0, end > MAX_ANSWER_CHARS / 2 ? end + 1 : MAX_ANSWER_CHARS).trim()}…`;
}

const cells = (row: string) =>
  row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
const isTableRow = (line: string) => /^\s*\|.*\|\s*$/.test(line);
const isTableRule = (line: string) => /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line);

/**
 * Each row as a line: "- first cell: second" for two columns, else
 * "- first cell — header: cell; header: cell", in the table's script's punctuation.
 */
function tableAsText(table: string[]): string[] {
  const [header = [], ...rows] = table.map(cells);
  const semicolon = /\p{Script=Arabic}/u.test(table.join('')) ? '؛ ' : '; ';
  return rows.map((row) => {
    const [first = '', ...rest] = row;
    if (rest.length <= 1) return `- ${first}: ${rest[0] ?? ''}`.trimEnd();
    return `- ${first} — ${rest.map((c, k) => (header[k + 1] ? `${header[k + 1]}: ${c}` : c)).join(semicolon)}`;
  });
}
