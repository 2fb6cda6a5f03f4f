const gc = (globalThis as { gc?: () => void }).gc;

/**
 * A full garbage collection, when the process runs with `--expose-gc` (`npm start` does), else
 * nothing. After a large one-off build (the in-memory index: the rows as read, and the index it
 * replaces) V8 keeps the garbage, tens of megabytes at 10k chunks, until the heap grows again.
 * Collected once now and once more a second later (the first frees the build's buffers only as
 * its sweep finishes; the second shrinks the heap to what is live), the process's memory reads
 * what it holds.
 */
export function collectGarbage(): void {
  if (!gc) return;
  gc();
  setTimeout(gc, 1000).unref();
}
