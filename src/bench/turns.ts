import type { Inbox } from '../inbox/index.js';
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
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline && next < maxTurns) {
      const i = next++;
      try {
        const conversation = await inbox.open({
          channel: 'api',
          externalId: `${options.label}-c${concurrency}-${i}`,
        });
        const t = performance.now();
        const turn = await inbox.receive({
          conversationId: conversation.id,
          text: questions[i % questions.length] as string,
        });
        latencies.push(since(t));
        const outcome = turn.handoff ? turn.handoff.reason : turn.reply ? 'answered' : 'silent';
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = since(started) / 1000;
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
