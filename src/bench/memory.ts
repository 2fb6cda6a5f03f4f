import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A full collection before each reading, so heap figures are live objects rather than garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;

export interface MemorySnapshot {
  rss_mb: number;
  heap_used_mb: number;
  /** Memory outside the JS heap: Buffers and ArrayBuffers, which include PGlite's WebAssembly memory. */
  external_mb: number;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;

export function memory(): MemorySnapshot {
  gc?.();
  const m = process.memoryUsage();
  return { rss_mb: mb(m.rss), heap_used_mb: mb(m.heapUsed), external_mb: mb(m.external) };
}
