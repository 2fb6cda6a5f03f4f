import { cpus, totalmem } from 'node:os';
import type { Db } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';

export interface Machine {
  cpu: string;
  cores: number;
  memory_gb: number;
  node: string;
  platform: string;
  backend: Db['kind'];
  database: string;
  pgvector: string;
  hnsw_ef_search: string;
}

export async function describeMachine(db: Db): Promise<Machine> {
  const cpu = cpus();
  const version = await one<{ version: string }>(db, 'SELECT version() AS version');
  const vector = await one<{ v: string }>(db, "SELECT extversion AS v FROM pg_extension WHERE extname = 'vector'");
  const ef = await one<{ ef: string }>(db, "SELECT current_setting('hnsw.ef_search', true) AS ef");
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memory_gb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    backend: db.kind,
    database: (version?.version ?? 'unknown').split(',')[0] as string,
    pgvector: vector?.v ?? 'missing',
    hnsw_ef_search: ef?.ef ?? '40 (default)',
  };
}
