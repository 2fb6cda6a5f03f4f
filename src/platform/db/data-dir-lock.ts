import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { liveness, ownIdentity, type ProcessIdentity } from './process-identity.js';

export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The data folder ${dir} is already owned by process ${pid}. PGlite allows one process per folder ` +
        '(a second one would silently lose writes). Stop that process, or set DATA_DIR to another folder, ' +
        'or use DATABASE_URL for a shared Postgres.',
    );
  }
}

/** The owner refreshes the lock's mtime this often, so an owner no check can see (another host) still shows it lives. */
export const HEARTBEAT_MS = 5_000;
/** A lock whose owner cannot be checked directly is stale once its heartbeat is this old. */
export const STALE_MS = 30_000;
/** A takeover marker older than this was left by a process that died inside the few calls a takeover takes. */
const TAKEOVER_MARKER_MS = 10_000;
const CLAIM_BUDGET_MS = 15_000;

interface Seen {
  raw: string;
  owner?: Partial<ProcessIdentity> & { pid: number };
  ino: number;
  mtimeMs: number;
}

function parse(raw: string): Seen['owner'] {
  const text = raw.trim();
  // Before identities, the file held the bare pid.
  if (/^\d+$/.test(text)) return { pid: Number(text) };
  try {
    const value = JSON.parse(text) as Partial<ProcessIdentity>;
    return Number.isInteger(value.pid) && (value.pid as number) > 0 ? (value as Seen['owner']) : undefined;
  } catch {
    return undefined;
  }
}

function look(file: string): Seen | undefined {
  try {
    const stat = statSync(file);
    const raw = readFileSync(file, 'utf8');
    return { raw, owner: parse(raw), ino: stat.ino, mtimeMs: stat.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function stale(seen: Seen): boolean {
  const state = seen.owner ? liveness(seen.owner) : 'unknown';
  if (state !== 'unknown') return state === 'dead';
  return Date.now() - seen.mtimeMs > STALE_MS;
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * Removes the stale lock `seen`, unless someone else removes it first. Removing is the racy step
 * (two processes judging the same lock stale must not both remove it, or the second removes the
 * first's new lock), so the right to remove it is itself claimed atomically: a hard link named
 * after the stale lock, which only one process can create. Whoever holds it checks that the link
 * points at the very file it judged, then removes that file.
 */
function takeOver(lock: string, seen: Seen): void {
  const marker = `${lock}.stale-${seen.owner?.token ?? `${seen.ino}-${Math.round(seen.mtimeMs)}`}`;
  try {
    linkSync(lock, marker);
  } catch (error) {
    if (code(error) === 'ENOENT') return; // gone already: claim again
    if (code(error) !== 'EEXIST') throw error;
    // Another process is taking it over right now (wait a moment), or died doing so.
    const since = statSync(marker, { throwIfNoEntry: false });
    if (since && Date.now() - since.ctimeMs > TAKEOVER_MARKER_MS) rmSync(marker, { force: true });
    else pause(20);
    return;
  }
  try {
    const linked = look(marker);
    if (linked && linked.ino === seen.ino && linked.raw === seen.raw) rmSync(lock);
  } finally {
    rmSync(marker, { force: true });
  }
}

/**
 * Claims the embedded data folder for this process. The lock file is created whole and atomically
 * (a hard link to a file already written, so no reader sees it half-written), and a stale lock (its
 * owner dead: same host with another boot, no such pid, or that pid now a different process by its
 * start time; or, when none of that can be checked, a heartbeat older than STALE_MS) is taken over
 * by exactly one process.
 */
export function claimDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, 'sanad.pid');
  const token = randomBytes(12).toString('hex');
  const raw = `${JSON.stringify(ownIdentity(token))}\n`;
  const mine = `${lock}.${token}`;
  writeFileSync(mine, raw, { flag: 'wx' });
  try {
    const until = Date.now() + CLAIM_BUDGET_MS;
    for (;;) {
      try {
        linkSync(mine, lock);
        return hold(lock, raw);
      } catch (error) {
        if (code(error) !== 'EEXIST') throw error;
      }
      const seen = look(lock);
      if (seen) {
        if (!stale(seen)) throw new DataDirInUseError(dir, seen.owner?.pid ?? 0);
        takeOver(lock, seen);
      }
      if (Date.now() > until) throw new Error(`Could not claim the data folder ${dir} within ${CLAIM_BUDGET_MS} ms`);
    }
  } finally {
    rmSync(mine, { force: true });
  }
}

function ours(lock: string, raw: string): boolean {
  try {
    return readFileSync(lock, 'utf8') === raw;
  } catch {
    return false;
  }
}

function hold(lock: string, raw: string): () => void {
  const heartbeat = setInterval(() => {
    if (!ours(lock, raw)) return clearInterval(heartbeat);
    const now = new Date();
    try {
      utimesSync(lock, now, now);
    } catch {
      clearInterval(heartbeat);
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return () => {
    clearInterval(heartbeat);
    if (ours(lock, raw)) rmSync(lock, { force: true });
  };
}
