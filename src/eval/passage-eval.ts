import pino from 'pino';
import type { Answerer } from '../bot/answerer.js';
import { retrieveWithFallback, searchText } from '../bot/decide.js';
import { localAnswerer } from '../bot/local.js';
import { readFolder } from '../knowledge/folder.js';
import type { Retriever } from '../knowledge/retrieve.js';
import { headingOf, sectionsOf } from '../knowledge/sections.js';
import { buildService } from '../modules.js';
import { compose } from '../platform/compose.js';
import type { Config } from '../platform/config.js';
import { throwawayDatabase } from '../platform/db/throwaway.js';
import { detectLanguage } from '../text/language.js';
import { redact } from '../text/redact.js';
import { type PassageCase, readPassageCases } from './cases.js';

export interface PassageFigures {
  cases: number;
  /** The quote is the expected section of the expected article. */
  passage_accuracy: number;
  /** The quote comes from the expected article. */
  article_accuracy: number;
  /** Of the quotes from the expected article, the share that is the expected section. */
  section_accuracy: number;
}

export interface PassageReport extends PassageFigures {
  /** The same figures for each split of the set (`dev`, `held-out`), when the cases carry one. */
  splits: Record<string, PassageFigures>;
}

export interface PassageOutcome {
  question: string;
  split: string;
  expected: string;
  /** Expected section heading; null is the article's opening (its summary). */
  section: string | null;
  article: string | null;
  /** The section the answer quotes (null: the opening). */
  quoted: string | null;
  articleRight: boolean;
  sectionRight: boolean;
  text: string;
}

/**
 * Which section of which article the bot quotes for each question, whatever its confidence:
 * the extractive answer it sends when it answers, and the copilot's suggestion when it does not.
 * The knowledge base is loaded into a throw-away database and read as the service reads it.
 */
export async function evaluatePassages(
  config: Config,
  kbDir: string,
  casesFile: string,
  options: { split?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ report: PassageReport; outcomes: PassageOutcome[]; importFailures: string[] }> {
  const cases = (await readPassageCases(casesFile)).filter((c) => !options.split || c.split === options.split);
  const folder = await readFolder(kbDir);
  const bodies = new Map(folder.articles.map((a) => [a.article.id, a.article.body]));
  const db = await throwawayDatabase(config.DATABASE_URL);
  const service = await compose(config, pino({ level: 'silent' }), buildService({ print: () => {} }), {
    db,
    prefix: `sanad-eval-passages-${process.pid}`,
  });
  try {
    const imported = await service.kb.importFolder(kbDir);
    await service.kb.ready();
    const retriever = await service.kb.retriever();
    const answerer = localAnswerer();
    const outcomes: PassageOutcome[] = [];
    for (const [i, c] of cases.entries()) {
      outcomes.push(await passageOutcome(c, retriever, answerer, bodies));
      options.onProgress?.(i + 1, cases.length);
    }
    return {
      report: summarisePassages(outcomes),
      outcomes,
      importFailures: imported.failed.map((f) => `${f.file}: ${f.field}: ${f.reason}`),
    };
  } finally {
    await service.close();
    await db.close();
  }
}

async function passageOutcome(
  c: PassageCase,
  retriever: Retriever,
  answerer: Answerer,
  bodies: Map<string, string>,
): Promise<PassageOutcome> {
  const lang = c.lang ?? detectLanguage(c.question).lang;
  const question = redact(c.question).text;
  const retrieval = await retrieveWithFallback(retriever, searchText(question, lang), lang);
  const answer = await answerer.answer({ question, lang, retrieval });
  const citation = answer.citations[0];
  const article = citation?.articleId ?? null;
  const passage = retrieval.articles
    .find((a) => a.articleId === article)
    ?.passages.find((p) => p.chunkId === citation?.chunkId);
  const quoted =
    passage?.heading !== undefined
      ? passage.heading
      : sectionOfPassage(bodies.get(article ?? '') ?? '', passage?.content ?? '');
  const articleRight = article === c.expected;
  return {
    question: c.question,
    split: c.split ?? 'dev',
    expected: c.expected,
    section: c.section,
    article,
    quoted,
    articleRight,
    sectionRight: articleRight && passage !== undefined && quoted === c.section,
    text: answer.text,
  };
}

/**
 * The heading of the section a passage comes from (null: the article's opening): its own first
 * line when it starts with a heading, else the last heading before where it sits in the body.
 */
export function sectionOfPassage(body: string, content: string): string | null {
  const own = headingOf(content);
  if (own !== null) return own;
  const at = body.indexOf(content.slice(0, 80));
  let heading: string | null = null;
  for (const s of sectionsOf(body)) if (s.heading !== null && s.start <= Math.max(0, at)) heading = s.heading;
  return heading;
}

export function summarisePassages(outcomes: PassageOutcome[]): PassageReport {
  const figures = (list: PassageOutcome[]): PassageFigures => {
    const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
    const right = list.filter((o) => o.articleRight);
    return {
      cases: list.length,
      passage_accuracy: ratio(list.filter((o) => o.sectionRight).length, list.length),
      article_accuracy: ratio(right.length, list.length),
      section_accuracy: ratio(right.filter((o) => o.sectionRight).length, right.length),
    };
  };
  const splits: Record<string, PassageFigures> = {};
  for (const split of [...new Set(outcomes.map((o) => o.split))].sort())
    splits[split] = figures(outcomes.filter((o) => o.split === split));
  return { ...figures(outcomes), splits };
}
