/**
 * Private PostgreSQL and Redis for the fault suites, started on free ports in temporary folders
 * and removed afterwards: the suites stop and restart them, which must never happen to the
 * machine's shared instances. PostgreSQL's initdb refuses root, so as root it runs as `postgres`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { freePort } from '../helpers/process.js';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

async function until(what: string, ok: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** redis-server without persistence: a restart loses every queued job, the worst case. */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const self: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      );
      await until(`redis-server on ${port}`, async () => {
        const client = new Redis(port, '127.0.0.1', {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        try {
          await client.connect();
          return (await client.ping()) === 'PONG';
        } finally {
          client.disconnect();
        }
      });
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await gone;
    },
  };
  await self.start();
  return self;
}

export interface PrivatePostgres {
  url: string;
  /** A fast shutdown (connections cut, in-flight statements aborted) then a start. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
  remove(): Promise<void>;
}

export async function privatePostgres(): Promise<PrivatePostgres> {
  const root = mkdtempSync(join(tmpdir(), 'sanad-faults-pg-'));
  const asRoot = userInfo().uid === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', root]);
  const as = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
      : execFileSync(cmd, args, { stdio: 'pipe' });
  const port = await freePort();
  const data = join(root, 'data');
  as(join(PG_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const ctl = (...args: string[]) => as(join(PG_BIN, 'pg_ctl'), ['-D', data, '-l', join(root, 'log'), ...args]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const ready = () =>
    until(`postgres on ${port}`, async () => {
      const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 2 });
      try {
        await sql`SELECT 1`;
        return true;
      } finally {
        await sql.end({ timeout: 1 });
      }
    });
  const start = async () => {
    ctl('-o', options, '-w', 'start');
    await ready();
  };
  const stop = async () => {
    try {
      ctl('-m', 'fast', '-w', 'stop');
    } catch {
      // already stopped
    }
  };
  await start();
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin`CREATE EXTENSION IF NOT EXISTS vector`;
  await admin.end();
  return {
    url,
    async restart(downMs = 1000) {
      await stop();
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    stop,
    async remove() {
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
