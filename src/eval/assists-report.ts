import type { ParaphraseStats } from '../editor/generated-phrasing.js';
import type { Config } from '../platform/config.js';
import { llmConfigured } from '../platform/config.js';
import type { CaseOutcome } from './retrieval-eval.js';

type AssistConfig = Pick<
  Config,
  | 'OPENAI_API_KEY'
  | 'OPENAI_BASE_URL'
  | 'LLM_PARAPHRASES'
  | 'LLM_FOLLOW_UP_REWRITE'
  | 'LLM_RERANK'
  | 'LLM_RERANK_TOP'
  | 'CROSS_LINGUAL_RETRIEVAL'
  | 'EMBEDDING_MODEL'
>;

/**
 * The eval's lines on the model assists: which are on and what each changed in these cases.
 * Their effect on the headline figures is read against a run with them off (same command,
 * switches unset): paraphrases and cross-lingual retrieval move top-1, rerank moves the turn's
 * own first article (reported here beside retrieval's).
 */
export function assistLines(config: AssistConfig, outcomes: CaseOutcome[], paraphrases?: ParaphraseStats): string[] {
  if (!llmConfigured(config)) return ['  model assists: off (no model configured: OPENAI_API_KEY / OPENAI_BASE_URL)'];
  const on = [
    config.LLM_PARAPHRASES && 'LLM_PARAPHRASES',
    config.LLM_FOLLOW_UP_REWRITE && 'LLM_FOLLOW_UP_REWRITE',
    config.LLM_RERANK && 'LLM_RERANK',
    config.CROSS_LINGUAL_RETRIEVAL && 'CROSS_LINGUAL_RETRIEVAL',
  ].filter(Boolean);
  if (on.length === 0) return ['  model assists: none switched on (a model is configured)'];
  const lines = [`  model assists on: ${on.join(', ')}`];
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
  const inScope = outcomes.filter((o) => o.expected !== null);
  if (config.LLM_PARAPHRASES && paraphrases) {
    lines.push(
      `    paraphrases: ${paraphrases.generated} generated for ${paraphrases.articles} articles at ingestion` +
        (paraphrases.failed
          ? ` (${paraphrases.failed} articles failed; the model's output was refused or it did not answer)`
          : ''),
    );
  }
  if (config.LLM_FOLLOW_UP_REWRITE) {
    const rewritten = outcomes.filter((o) => o.assists?.rewritten).length;
    lines.push(
      `    follow-up rewrite: ${rewritten} of ${outcomes.length} turns read a standalone question (each case is a first message, so few are follow-ups)`,
    );
  }
  if (config.LLM_RERANK) {
    const moved = outcomes.filter((o) => o.assists?.reranked).length;
    const retrievalTop1 = inScope.filter((o) => o.top === o.expected).length;
    const turnTop1 = inScope.filter((o) => o.turnFirst === o.expected).length;
    lines.push(
      `    rerank (top ${config.LLM_RERANK_TOP}): first article changed in ${moved} turns; top-1 ${pct(turnTop1, inScope.length)} after rerank against ${pct(retrievalTop1, inScope.length)} from retrieval`,
    );
  }
  if (config.CROSS_LINGUAL_RETRIEVAL) {
    const across = outcomes.filter((o) => o.assists?.crossLingual);
    const right = across.filter((o) => o.expected !== null && o.turnFirst === o.expected).length;
    lines.push(
      `    cross-lingual (${config.EMBEDDING_MODEL}): ${across.length} turns took an article in another language, ${right} of them the expected one`,
    );
  }
  return lines;
}
