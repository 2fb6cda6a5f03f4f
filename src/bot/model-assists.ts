import type OpenAI from 'openai';
import { z } from 'zod';
import type { Retrieval } from '../knowledge/retrieve.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/log.js';
import type { Lang } from '../text/language.js';
import { redact } from '../text/redact.js';
import { askJson } from './model-json.js';

/**
 * What a model adds to a turn when switched on (LLM_FOLLOW_UP_REWRITE, LLM_RERANK). Each
 * returns undefined when the model fails, times out or says something unusable: the turn then
 * goes on the local way. Everything sent is redacted here again, whatever the caller did.
 */
export interface ModelAssists {
  /** A follow-up rewritten into one standalone question, in the customer's language. */
  rewrite?(input: { previous: string; question: string; lang: Lang }, signal: AbortSignal): Promise<string | undefined>;
  /** The retrieval with its best articles in the model's order. */
  rerank?(
    input: { question: string; lang: Lang; retrieval: Retrieval },
    signal: AbortSignal,
  ): Promise<Retrieval | undefined>;
}

/** What the assists did in one turn, reported with the decision (the eval counts them). */
export interface AssistTrace {
  /** The standalone question retrieval used instead of the follow-up. */
  rewritten?: string;
  /** The model put another article first. */
  reranked?: boolean;
  /** The best article is in another language than the customer's (CROSS_LINGUAL_RETRIEVAL). */
  crossLingual?: boolean;
}

const REWRITE_SYSTEM = `You turn a customer's follow-up message into one standalone question for a help-centre search.
Use the previous question only for what the follow-up leaves out (its topic, its object).
Write in the follow-up's language and dialect (Gulf Arabic stays Gulf Arabic, English stays English).
Do not answer, do not add facts, keep placeholders such as [PHONE] as they are.
Reply with JSON only: {"question": "<the standalone question>"}`;

const RERANK_SYSTEM = `You rank help-centre articles by how well each answers the customer's question.
The question and the articles may be in Arabic or English. Judge by meaning, not shared words.
Reply with JSON only: {"order": ["<article id>", ...]} listing the given ids, best first.`;

const rewriteOutput = z.object({ question: z.string().trim().min(1).max(500) });
const rerankOutput = z.object({ order: z.array(z.string()).min(1).max(20) });
const SNIPPET_CHARS = 300;

export function modelAssists(
  client: OpenAI,
  config: Pick<
    Config,
    'CHAT_MODEL' | 'LLM_FOLLOW_UP_REWRITE' | 'LLM_RERANK' | 'LLM_RERANK_TOP' | 'LLM_ASSIST_TIMEOUT_MS'
  >,
  log: Logger,
  onCall?: (op: string, result: string) => void,
): ModelAssists {
  const call = <T>(op: string, system: string, user: string, schema: z.ZodType<T>, signal: AbortSignal) =>
    askJson(client, {
      model: config.CHAT_MODEL,
      system,
      user,
      schema,
      signal,
      timeoutMs: config.LLM_ASSIST_TIMEOUT_MS,
      onCall: (result) => onCall?.(op, result),
    });
  const assists: ModelAssists = {};
  if (config.LLM_FOLLOW_UP_REWRITE) {
    assists.rewrite = async ({ previous, question }, signal) => {
      const user = `Previous question: ${redact(previous).text}\nFollow-up: ${redact(question).text}`;
      try {
        const out = await call('rewrite', REWRITE_SYSTEM, user, rewriteOutput, signal);
        return redact(out.question).text;
      } catch (error) {
        log.warn({ err: error }, 'follow-up rewrite failed; reading the follow-up the local way');
        return undefined;
      }
    };
  }
  if (config.LLM_RERANK) {
    assists.rerank = async ({ question, retrieval }, signal) => {
      const top = retrieval.articles.slice(0, config.LLM_RERANK_TOP);
      if (top.length < 2) return undefined;
      const listed = top
        .map((a, i) => {
          const passage = a.passages[0]?.content.replace(/\s+/g, ' ').slice(0, SNIPPET_CHARS) ?? '';
          return `[A${i + 1}] ${redact(a.title).text}\n${redact(passage).text}`;
        })
        .join('\n\n');
      const user = `Question: ${redact(question).text}\n\nArticles:\n${listed}`;
      try {
        const out = await call('rerank', RERANK_SYSTEM, user, rerankOutput, signal);
        const order = orderOf(out.order, top.length);
        if (!order) {
          log.warn({ order: out.order }, 'rerank named articles it was not given; keeping the retrieval order');
          return undefined;
        }
        const ranked = [...order.map((i) => top[i]!), ...top.filter((_, i) => !order.includes(i))];
        return { ...retrieval, articles: [...ranked, ...retrieval.articles.slice(top.length)] };
      } catch (error) {
        log.warn({ err: error }, 'rerank failed; keeping the retrieval order');
        return undefined;
      }
    };
  }
  return assists;
}

/** Indexes of "A1".."An" in the model's order, repeats dropped; undefined if any id is unknown. */
export function orderOf(ids: string[], n: number): number[] | undefined {
  const out: number[] = [];
  for (const id of ids) {
    const m = /^\[?A(\d+)\]?$/i.exec(id.trim());
    const i = m ? Number(m[1]) - 1 : -1;
    if (i < 0 || i >= n) return undefined;
    if (!out.includes(i)) out.push(i);
  }
  return out;
}
