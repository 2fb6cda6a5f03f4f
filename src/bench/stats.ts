import { percentile } from '../eval/cases.js';

export interface LatencySummary {
  n: number;
  p50_ms: number;
  p95_ms: number;
  mean_ms: number;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export function summarise(latencies: number[]): LatencySummary {
  const n = latencies.length;
  return {
    n,
    p50_ms: round(percentile(latencies, 50)),
    p95_ms: round(percentile(latencies, 95)),
    mean_ms: round(n ? latencies.reduce((a, b) => a + b, 0) / n : 0),
  };
}

export { round };

/** Milliseconds since `start` (from performance.now()). */
export const since = (start: number) => performance.now() - start;
