/**
 * Jobs are data plus a plain async processor: a definition names the job and its handler,
 * and either runner (in-process or BullMQ) executes it. Handlers never see the runner, so a
 * test calls them directly.
 */
export interface JobContext {
  /** Reports progress in 0..100 (shown by CLIs that wait on the job). */
  progress(percent: number, detail?: Record<string, unknown>): Promise<void>;
  attempt: number;
  /** How many attempts the job has in all: a handler can record a final failure on the last. */
  attempts: number;
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

/** A job's name and the parser of its payload: the one place both are written. */
export interface JobDefinition<P> {
  name: string;
  parse(payload: unknown): P;
}

/** What a module declares: a definition and its processor, a plain function a test can call. */
export interface JobProcessor<P = unknown> extends JobDefinition<P> {
  handle(payload: P, ctx: JobContext): Promise<unknown>;
}

export function defineJob<P>(name: string, parse: (payload: unknown) => P): JobDefinition<P> {
  return { name, parse };
}

export function processor<P>(def: JobDefinition<P>, handle: JobProcessor<P>['handle']): JobProcessor<P> {
  return { ...def, handle };
}

/** Enqueues a typed job (the payload is checked against its definition before it leaves). */
export async function enqueueJob<P>(jobs: JobRunner, def: JobDefinition<P>, payload: P, options?: JobOptions) {
  await jobs.enqueue(def.name, def.parse(payload), options);
}

/** The runner's handler table from modules' processors. */
export function handlerOf<P>(p: JobProcessor<P>): JobHandler {
  return (payload, ctx) => p.handle(p.parse(payload), ctx);
}
