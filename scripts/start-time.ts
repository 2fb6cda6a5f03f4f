/**
 * npm run --silent start-time [-- --json] [--articles N] — how long a newcomer waits: the first start of the
 * sample knowledge base on an empty data folder (embedded default) until /readyz is 200, a second
 * start on the same folder, and `npm run chat` until its prompt, with the folder free and while
 * the service owns it (first launch builds the cached snapshot, the next uses it). Real processes
 * (node on the modules compiled into build/, as `npm start` runs them, without npm's own start-up;
 * `--tsx` runs the TypeScript through tsx instead, to compare); loopback only.
 * Each start also reports the process's memory (rss) 5 s after the in-memory index is built.
 * `--articles N` starts on a synthetic knowledge base of N articles built from the sample
 * (the bench's, seed 1; 1,180 articles make about 12,500 chunks) instead, without `npm run chat`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { syntheticKnowledgeBase } from '../src/bench/synthetic.js';
import { readFolder, writeFolder } from '../src/knowledge/folder.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    articles: { type: 'string' },
    tsx: { type: 'boolean', default: false },
  },
});
const json = values.json;
const articles = values.articles === undefined ? undefined : Number(values.articles);
if (articles !== undefined && !(Number.isInteger(articles) && articles > 0)) {
  process.stderr.write('start-time: --articles takes a whole number of articles, e.g. --articles 1180\n');
  process.exit(2);
}
const say = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`);
};
// What `npm start` and `npm run chat` do before they run (a no-op when build/ is current).
if (!values.tsx) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function run(
  entry: string,
  env: Record<string, string>,
  stdin?: string,
  keepOpen = false,
): { child: ChildProcess; output: () => string } {
  // The flags `npm start` and `npm run chat` pass (the service's --expose-gc: src/platform/gc.ts).
  const args = [
    ...(entry === 'src/main.ts' ? ['--expose-gc'] : []),
    ...(values.tsx ? ['--import', 'tsx', entry] : [`build/${entry.replace(/\.ts$/, '.js')}`]),
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  if (stdin !== undefined) child.stdin?.end(stdin);
  else if (!keepOpen) child.stdin?.end();
  return { child, output: () => out };
}

/**
 * CPU seconds the process has used (Linux): on a machine shared with other work the wall time
 * mostly measures the others; the CPU time is what a quiet machine would wait, roughly.
 */
function cpuSeconds(child: ChildProcess): number {
  try {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return Number.NaN;
  }
}

async function until(what: string, ok: () => Promise<boolean> | boolean, ms = 600_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await gone;
}

const SETTLE_MS = 5000;

/** Resident memory of a process in MB (Linux), as `ps` shows it. */
function rssMb(child: ChildProcess): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * Starts the server on `dir`; resolves with the seconds until /readyz answered 200, then its
 * memory once the in-memory index is built (with how many chunks).
 */
async function startServer(dir: string, env: Record<string, string>) {
  const port = await freePort();
  const t0 = performance.now();
  const server = run('src/main.ts', { DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', ...env });
  let firstOutput: number | undefined;
  server.child.stderr?.once('data', () => {
    firstOutput = performance.now() - t0;
  });
  const readyz = async () => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      const body = (await res.json()) as { checks?: { knowledge?: { index?: { state: string; chunks?: number } } } };
      return { status: res.status, index: body.checks?.knowledge?.index };
    } catch {
      return undefined;
    }
  };
  const exited = () => {
    if (server.child.exitCode !== null) throw new Error(`the server exited:\n${server.output()}`);
  };
  await until('the server to be ready', async () => {
    exited();
    return (await readyz())?.status === 200;
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(server.child);
  let chunks = 0;
  await until('the in-memory index', async () => {
    exited();
    const index = (await readyz())?.index;
    chunks = index?.chunks ?? 0;
    return index?.state === 'ready' || index?.state === 'off';
  });
  // Read once settled: what the process holds while it serves, not the build's last moment
  // (the garbage collected after the build goes back to the system over the next seconds).
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  return { server, seconds, cpu, silentFor: (firstOutput ?? seconds * 1000) / 1000, rss: rssMb(server.child), chunks };
}

/** Launches `npm run chat`'s script; the seconds until its prompt. */
async function chat(dir: string): Promise<{ seconds: number; cpu: number }> {
  const t0 = performance.now();
  // No /quit yet: the CPU time is read at the prompt, while the process still runs.
  const c = run('scripts/chat.ts', { DATA_DIR: dir }, undefined, true);
  await until('the chat prompt', () => {
    if (c.child.exitCode !== null && !c.output().includes('you ›')) throw new Error(`chat exited:\n${c.output()}`);
    return c.output().includes('you ›');
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(c.child);
  c.child.stdin?.end('/quit\n');
  await until('chat to exit', () => c.child.exitCode !== null);
  return { seconds, cpu };
}

const dir = mkdtempSync(join(tmpdir(), 'sanad-start-'));
const figures: Record<string, number> = {};
try {
  const env: Record<string, string> = {};
  let what = '58-article sample';
  if (articles !== undefined) {
    const sample = await readFolder('knowledge-base');
    await writeFolder(
      join(dir, 'kb'),
      syntheticKnowledgeBase(
        sample.articles.map((a) => a.article),
        articles,
        1,
      ),
    );
    env.KNOWLEDGE_BASE_DIR = join(dir, 'kb');
    what = `${articles} synthetic articles`;
  }
  const line = (label: string, f: { seconds: number; cpu: number; rss?: number; chunks?: number }, key: string) => {
    figures[`${key}_s`] = f.seconds;
    figures[`${key}_cpu_s`] = f.cpu;
    const memory = f.rss === undefined ? '' : `  rss ${Math.round(f.rss)} MB with a ${f.chunks}-chunk index`;
    if (f.rss !== undefined) figures[`${key}_rss_mb`] = f.rss;
    say(`${label.padEnd(52)} ${f.seconds.toFixed(1).padStart(5)} s  (CPU ${f.cpu.toFixed(1)} s)${memory}`);
  };
  say(`${''.padEnd(52)} wall time  (CPU time of the process)`);
  const first = await startServer(join(dir, 'data'), env);
  line(`first start, empty folder, ${what}: ready`, first, 'first_start');
  figures.first_start_silent_s = first.silentFor;
  await stop(first.server.child);
  const second = await startServer(join(dir, 'data'), env);
  line('second start, same folder: ready', second, 'second_start');
  if (articles === undefined) {
    // The service owns the folder now: chat builds its snapshot once, then starts from it.
    line('npm run chat, service running, first launch: prompt', await chat(join(dir, 'data')), 'chat_first_copy');
    line('npm run chat, service running, snapshot: prompt', await chat(join(dir, 'data')), 'chat_snapshot');
  }
  await stop(second.server.child);
  if (articles === undefined)
    line('npm run chat, service stopped, its folder: prompt', await chat(join(dir, 'data')), 'chat_own_folder');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const rounded = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Number(v.toFixed(2))]));
if (json) process.stdout.write(`${JSON.stringify(rounded)}\n`);
