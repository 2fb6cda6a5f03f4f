import type { Inbox } from '../inbox/index.js';
import { closedLoop } from './closed-loop.js';
import { type LatencySummary, round, since, summarise } from './stats.js';

export interface TurnLoad {
  concurrency: number;
  turns: number;
  errors: number;
  first_error?: string;
  seconds: number;
  turns_per_s: number;
  latency: LatencySummary;
  /** How the turns ended: answered, or the hand-off reason. */
  outcomes: Record<string, number>;
}

/**
 * `concurrency` customers writing at once for a bounded time (and at most `maxTurns` turns):
 * each turn opens a new conversation (not timed) and sends one question through the whole
 * conversation turn. Latency is the turn alone; turns/s is over the wall time, conversation
 * opening included.
 */
export async function turnLoad(
  inbox: Inbox,
  questions: string[],
  options: { concurrency: number; seconds: number; maxTurns: number; label: string },
): Promise<TurnLoad> {
  const { concurrency, seconds, maxTurns } = options;
  const outcomes: Record<string, number> = {};
  const run = await closedLoop(concurrency, seconds, maxTurns, async (i) => {
    const conversation = await inbox.open({ channel: 'api', externalId: `${options.label}-c${concurrency}-${i}` });
    const t = performance.now();
    const turn = await inbox.receive({
      conversationId: conversation.id,
      text: questions[i % questions.length] as string,
    });
    const ms = since(t);
    const outcome = turn.handoff ? turn.handoff.reason : turn.reply ? 'answered' : 'silent';
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    return ms;
  });
  const { latencies, errors, firstError } = run;
  const elapsed = run.seconds;
  return {
    concurrency,
    turns: latencies.length,
    errors,
    ...(firstError ? { first_error: firstError } : {}),
    seconds: round(elapsed),
    turns_per_s: round(latencies.length / elapsed, 1),
    latency: summarise(latencies),
    outcomes,
  };
}
