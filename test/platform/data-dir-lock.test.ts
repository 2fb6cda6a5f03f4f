/**
 * The embedded data folder admits one process. Real processes race to take over a stale lock many
 * times; each time exactly one must win (the old lock let two win in 8 of 20 trials). A lock naming
 * a pid that now belongs to an unrelated live process is stale (the old one blocked start-up forever).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDataDir, DataDirInUseError, STALE_MS } from '../../src/platform/db/data-dir-lock.js';
import { ownIdentity, processStartTime } from '../../src/platform/db/process-identity.js';

const RACERS = 4;
const TRIALS = 100;

interface Racer {
  child: ChildProcess;
  next(): Promise<string>;
}

function startRacer(): Racer {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/lock-racer.ts'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting: ((line: string) => void)[] = [];
  const early: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const take = waiting.shift();
    if (take) take(line);
    else early.push(line);
  });
  return {
    child,
    next: () => {
      const line = early.shift();
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** A pid that no process holds now: one of a process that has exited. */
function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(run.stdout);
}

const identity = (over: Record<string, unknown>) => JSON.stringify({ ...ownIdentity('stale-token'), ...over });

/** The kinds of stale lock a racer meets, in turn. */
function staleLocks(): ((file: string) => void)[] {
  const dead = deadPid();
  return [
    (file) => writeFileSync(file, identity({ pid: dead, token: `dead-${Math.random()}` })),
    // An unrelated live process now holds the pid: this test's parent, with another start time.
    (file) => writeFileSync(file, identity({ pid: process.ppid, started: '1', token: `reused-${Math.random()}` })),
    (file) =>
      writeFileSync(file, identity({ pid: process.ppid, boot: 'an-earlier-boot', token: `boot-${Math.random()}` })),
    (file) => writeFileSync(file, String(dead)),
    // The old bare-pid format naming a live process whose heartbeat stopped long ago.
    (file) => {
      writeFileSync(file, String(process.ppid));
      const old = new Date(Date.now() - STALE_MS - 60_000);
      utimesSync(file, old, old);
    },
  ];
}

describe('data folder lock', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'sanad-lock-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a live owner and takes over from a dead one, a reused pid, an earlier boot or a silent foreign host', () => {
    const dir = fresh();
    const file = join(dir, 'sanad.pid');
    // The parent process, named exactly: alive.
    writeFileSync(file, identity({ pid: process.ppid, started: processStartTime(process.ppid), token: 'parent' }));
    expect(() => claimDataDir(dir)).toThrow(DataDirInUseError);
    // The old format with a live pid and a fresh file: cannot be told apart from a live owner.
    writeFileSync(file, String(process.ppid));
    expect(() => claimDataDir(dir)).toThrow(DataDirInUseError);
    // Another host, heartbeat fresh: alive; heartbeat stopped: stale.
    writeFileSync(file, identity({ host: `not-${hostname()}`, token: 'foreign' }));
    expect(() => claimDataDir(dir)).toThrow(DataDirInUseError);
    const old = new Date(Date.now() - STALE_MS - 1000);
    utimesSync(file, old, old);
    const release = claimDataDir(dir);
    release();
    for (const write of staleLocks()) {
      write(file);
      const again = claimDataDir(dir);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
      // A second claim from the same live process is refused too: two PGlites on one folder lose writes.
      expect(() => claimDataDir(dir)).toThrow(DataDirInUseError);
      again();
      expect(existsSync(file)).toBe(false);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('lets go only of its own lock', () => {
    const dir = fresh();
    const file = join(dir, 'sanad.pid');
    const release = claimDataDir(dir);
    writeFileSync(file, identity({ pid: process.ppid, started: processStartTime(process.ppid), token: 'other' }));
    release();
    expect(existsSync(file)).toBe(true);
  });

  describe('racing processes', () => {
    const racers: Racer[] = [];
    beforeAll(async () => {
      for (let i = 0; i < RACERS; i++) racers.push(startRacer());
      // Warm up: each loads tsx and the module before the timed trials.
      const dir = fresh();
      for (const r of racers) {
        r.child.stdin!.write(`claim ${dir} 0\n`);
        const answer = await r.next();
        if (answer === 'won') {
          r.child.stdin!.write('release\n');
          await r.next();
        }
      }
    }, 120_000);
    afterAll(() => {
      for (const r of racers) r.child.kill('SIGKILL');
    });

    it(`exactly one of ${RACERS} processes wins a stale lock, in each of ${TRIALS} trials`, async () => {
      const kinds = staleLocks();
      const winners: number[] = [];
      const odd: string[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        const dir = fresh();
        kinds[trial % kinds.length]!(join(dir, 'sanad.pid'));
        const at = Date.now() + 150;
        for (const r of racers) r.child.stdin!.write(`claim ${dir} ${at}\n`);
        const answers = await Promise.all(racers.map((r) => r.next()));
        const won = racers.filter((_, i) => answers[i] === 'won');
        winners.push(won.length);
        odd.push(...answers.filter((a) => a !== 'won' && a !== 'lost DataDirInUseError'));
        for (const r of won) {
          r.child.stdin!.write('release\n');
          await r.next();
        }
        odd.push(...readdirSync(dir).map((f) => `left behind: ${f}`));
      }
      process.stdout.write(`data folder lock: ${TRIALS} trials, winners per trial ${JSON.stringify(winners)}\n`);
      expect(winners).toEqual(Array(TRIALS).fill(1));
      expect(odd).toEqual([]);
    }, 180_000);
  });
});
