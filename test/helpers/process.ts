import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  /** The exit code; null when a signal ended the process or it could not be spawned. */
  exited: Promise<number | null>;
}

// Every process started here, so `stopStartedProcesses` can end them after a test that failed
// or timed out: a child left running keeps the data-folder lock and breaks the tests after it.
const started = new Set<Started>();

/**
 * Starts an entry point as a real process with only the given environment (plus PATH and HOME):
 * TypeScript through tsx (by default the service's own), or compiled JavaScript as it is.
 */
export function startProcess(env: Record<string, string>, entry = 'src/main.ts', args: string[] = []): Started {
  const loader = entry.endsWith('.js') ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...loader, entry, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    // A process that could not be spawned emits 'error' and never 'exit'.
    child.on('error', (error) => {
      out += `\n[spawn error] ${String(error)}`;
      if (child.pid === undefined) resolve(null);
    });
  });
  const handle: Started = { child, output: () => out, exited };
  started.add(handle);
  void exited.then(() => started.delete(handle));
  return handle;
}

function hasExited(p: Started): boolean {
  return p.child.exitCode !== null || p.child.signalCode !== null || p.child.pid === undefined;
}

function within<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise.then((value) => ({ value })), timeout]).finally(() => clearTimeout(timer));
}

/** The exit code, or a failure naming the process's output when it has not exited within `ms`. */
export async function exitWithin(p: Started, ms: number): Promise<number | null> {
  const result = await within(p.exited, ms);
  if (!result) throw new Error(`the process did not exit within ${ms} ms; its output:\n${p.output()}`);
  return result.value;
}

/**
 * Ends a process and waits until it is gone: SIGTERM first, so it can release its data folder
 * and close its database, then SIGKILL when it has not exited within `graceMs`.
 */
export async function stopProcess(p: Started, graceMs = 30_000): Promise<void> {
  if (hasExited(p)) return;
  p.child.kill('SIGTERM');
  if (await within(p.exited, graceMs)) return;
  p.child.kill('SIGKILL');
  // SIGKILL cannot be caught; this only bounds the wait if the kernel is very slow to reap.
  if (!(await within(p.exited, 10_000))) throw new Error(`process ${p.child.pid} survived SIGKILL`);
}

/** The hook budget `stopStartedProcesses` needs with the given grace. */
export const stopBudget = (graceMs = 30_000) => graceMs + 15_000;

/** Stops every process this module started that is still running (for `afterEach`). */
export async function stopStartedProcesses(graceMs = 30_000): Promise<void> {
  await Promise.all([...started].map((p) => stopProcess(p, graceMs)));
}

/**
 * Polls `url` until it answers. Fails early, with the process's output, when `server` exits
 * first, instead of polling a dead server for the whole budget.
 */
export async function waitForHttp(url: string, timeoutMs = 60_000, server?: Started): Promise<Response> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    if (server && hasExited(server)) {
      throw new Error(`the process exited (${server.child.exitCode}) before ${url} answered:\n${server.output()}`);
    }
    try {
      // A loaded machine can accept the connection and answer much later: bound each try too.
      return await fetch(url, { signal: AbortSignal.timeout(Math.max(1, Math.min(10_000, until - Date.now()))) });
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${url} did not answer in ${timeoutMs} ms: ${String(last)}${server ? `\n${server.output()}` : ''}`);
}
