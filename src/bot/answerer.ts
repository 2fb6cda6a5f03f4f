import type { Retrieval } from '../knowledge/retrieve.js';
import type { Lang } from '../text/language.js';

export interface Citation {
  articleId: string;
  chunkId: number;
  title: string;
}

export interface AnswerInput {
  /** The customer's question with personal data already redacted. */
  question: string;
  lang: Lang;
  retrieval: Retrieval;
}

export interface Answer {
  /** Empty when the answerer found no grounded answer. */
  text: string;
  citations: Citation[];
  /** 0..1, calibrated: see confidence.ts. */
  confidence: number;
  answered: boolean;
  answerer: 'local' | 'llm';
  /** Why there is no answer (for the hand-off log). */
  failure?:
    | 'no_candidates'
    | 'not_answerable'
    | 'invalid_output'
    | 'ungrounded'
    | 'model_unavailable'
    | 'budget_exhausted';
  /** Model calls this answer cost (counted against the per-conversation budget). */
  modelCalls?: number;
}

export interface AnswerOptions {
  /**
   * Called with the answer text so far, each time it grows, so a channel can show it while it
   * is written. A draft only: the returned Answer decides what is sent (it may be no answer at
   * all), and a repair turn starts a new draft.
   */
  onText?: (soFar: string) => void;
  /** Aborting it stops the model call; the answer then rejects with ModelUnavailableError. */
  signal?: AbortSignal;
}

/** Both answerers (extractive local, grounded LLM) sit behind this. */
export interface Answerer {
  readonly kind: 'local' | 'llm';
  answer(input: AnswerInput, options?: AnswerOptions): Promise<Answer>;
}

export class ModelUnavailableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}
