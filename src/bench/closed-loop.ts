import { since } from './stats.js';

export interface ClosedLoop {
  /** The timed latency of each request that counted (in ms). */
  latencies: number[];
  errors: number;
  firstError?: string;
  /** Wall time of the whole run, in seconds. */
  seconds: number;
}

/**
 * `concurrency` callers, each sending its next request as soon as the last one is answered,
 * until `seconds` have passed or `max` requests were sent. `one(i)` sends request i and returns
 * its timed latency, or undefined when it should not count; a throw counts as an error.
 */
export async function closedLoop(
  concurrency: number,
  seconds: number,
  max: number,
  one: (i: number) => Promise<number | undefined>,
): Promise<ClosedLoop> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const caller = async () => {
    while (performance.now() < deadline && next < max) {
      const i = next++;
      try {
        const ms = await one(i);
        if (ms !== undefined) latencies.push(ms);
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return { latencies, errors, firstError, seconds: since(started) / 1000 };
}
