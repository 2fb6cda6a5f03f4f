import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { Problem } from './problem.js';

export interface AdmissionLimits {
  /** Requests handled at once. */
  concurrency: number;
  /** Requests that may wait for a slot; past that they are refused at once. */
  queue: number;
  /** A request that waited this long is refused instead of handled late. */
  maxWaitMs: number;
}

export function overloaded(retryAfter: number, what: string): Problem {
  return new Problem(
    429,
    'overloaded',
    'Too many requests right now',
    `The service is handling as many ${what} as it can; retry after ${retryAfter} s.`,
    { retryAfter },
  );
}

/**
 * Admission control for work that costs a turn: at most `concurrency` at once, a bounded line
 * behind them, and a 429 with Retry-After past it. Without it a burst queues without bound, every
 * request gets slower and memory grows; with it the admitted ones keep their latency.
 */
export function admission(limits: AdmissionLimits, what = 'messages') {
  let active = 0;
  const waiting: (() => void)[] = [];
  const retryAfter = Math.max(1, Math.ceil(limits.maxWaitMs / 1000));

  function release() {
    const next = waiting.shift();
    if (next) next();
    else active--;
  }

  const middleware: MiddlewareHandler<AppEnv> = async (_c, next) => {
    if (active >= limits.concurrency) {
      if (waiting.length >= limits.queue) throw overloaded(retryAfter, what);
      // The slot is handed over by release(): `active` stays counted for this request.
      const admitted = await new Promise<boolean>((resolve) => {
        const take = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          const at = waiting.indexOf(take);
          if (at >= 0) waiting.splice(at, 1);
          resolve(false);
        }, limits.maxWaitMs);
        waiting.push(take);
      });
      if (!admitted) throw overloaded(retryAfter, what);
    } else active++;
    try {
      await next();
    } finally {
      release();
    }
  };
  return { middleware, stats: () => ({ active, waiting: waiting.length }) };
}
