import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who owns something on disk, precisely enough to tell a dead owner from a live one: a pid alone
 * is reused (after a reboot, in a fresh container, or simply by a later process), so the owner is
 * also named by its host, the boot it ran in and the moment its process started.
 */
export interface ProcessIdentity {
  pid: number;
  host: string;
  /** Linux's boot id; differs after a reboot. Absent where the platform has none. */
  boot?: string;
  /** The process's start time as the OS reports it; absent when it cannot be read. */
  started?: string;
  /** Random per claim: tells two claims of the same process apart. */
  token: string;
}

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

const boot = readBootId();

/** The start time of `pid` (clock ticks since boot on Linux, `ps`'s lstart elsewhere), or undefined. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] || undefined; // field 22, starttime
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && boot) return undefined; // Linux: no such process
  }
  try {
    return execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function ownIdentity(token: string): ProcessIdentity {
  return { pid: process.pid, host: hostname(), boot, started: processStartTime(process.pid), token };
}

export type Liveness = 'alive' | 'dead' | 'unknown';

/**
 * Whether the process named by `owner` still runs. 'unknown' when this host cannot tell (another
 * host, or a start time the OS will not give): the caller then falls back on a heartbeat.
 */
export function liveness(owner: Partial<ProcessIdentity> & { pid: number }): Liveness {
  if (owner.host !== undefined && owner.host !== hostname()) return 'unknown';
  if (owner.boot && boot && owner.boot !== boot) return 'dead';
  if (!pidAlive(owner.pid)) return 'dead';
  if (!owner.started) return 'unknown';
  const now = processStartTime(owner.pid);
  if (now === undefined) return 'unknown';
  return now === owner.started ? 'alive' : 'dead';
}
