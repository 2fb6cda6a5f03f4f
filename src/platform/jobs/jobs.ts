/**
 * Jobs are data plus a plain async processor: a definition names the job and its handler,
 * and either runner (in-process or BullMQ) executes it. Handlers never see the runner, so a
 * test calls them directly.
 */
export interface JobContext {
  /** Reports progress in 0..100 (shown by CLIs that wait on the job). */
  progress(percent: number, detail?: Record<string, unknown>): Promise<void>;
  attempt: number;
}

export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<unknown>;

export interface JobOptions {
  /** Stable id: a second enqueue with the same id is ignored while the first is known. */
  jobId?: string;
  attempts?: number;
}

export interface ProgressEvent {
  percent: number;
  detail?: Record<string, unknown>;
}

export interface JobRunner {
  readonly kind: 'in-process' | 'bullmq';
  enqueue(name: string, payload: unknown, options?: JobOptions): Promise<void>;
  /** Enqueues and resolves with the handler's result (or rejects with its last error). */
  run<T = unknown>(
    name: string,
    payload: unknown,
    options?: JobOptions & { onProgress?: (e: ProgressEvent) => void },
  ): Promise<T>;
  /** Resolves once nothing is queued or running (used by tests and shutdown). */
  idle(): Promise<void>;
  ping(): Promise<boolean>;
  counts(): Promise<Record<string, number>>;
  /** Stops taking new jobs and waits for running ones. */
  close(): Promise<void>;
}

export function jobIdFor(...parts: (string | number)[]): string {
  // BullMQ rejects ':' in custom ids and purely numeric ids.
  return `j-${parts.join('-').replace(/[:\s]/g, '_')}`;
}
