/**
 * npm run kb:ingest [DIR]
 *
 * Loads a knowledge-base folder (default KNOWLEDGE_BASE_DIR) into the configured database, as
 * the import job of the configured job runner (in-process, or BullMQ when REDIS_URL is set).
 * Idempotent: unchanged articles are neither versioned nor re-embedded. Prints a progress bar
 * on a terminal and plain `ingest 12/58 ar/order-tracking.md` lines otherwise, then the report.
 *
 * Exit codes: 0 all files imported, 1 some files failed (listed with file, field and reason),
 * 2 bad arguments, 75 the embedded data folder is in use (the server is running), 78 bad config.
 */
import { statSync } from 'node:fs';
import { constants, userInfo } from 'node:os';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { KB_JOBS } from '../src/knowledge/jobs.js';
import type { ImportReport } from '../src/knowledge/knowledge-base.js';
import { buildService, type Service } from '../src/modules.js';
import { type Composed, compose } from '../src/platform/compose.js';
import { type Config, ConfigError, loadConfig } from '../src/platform/config.js';
import { claimDataDir, DataDirInUseError } from '../src/platform/db/data-dir-lock.js';
import type { ProgressEvent } from '../src/platform/jobs/jobs.js';
import { createLogger } from '../src/platform/log.js';

const USAGE = `Usage: npm run kb:ingest [DIR]

Imports every Markdown article under DIR (default: KNOWLEDGE_BASE_DIR, ./knowledge-base) into
the configured database and indexes the published ones. Safe to repeat: unchanged files are
skipped. Exits 1 when any file failed.
`;

const out = (line = '') => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function list(ids: string[], max = 12): string {
  if (ids.length === 0) return '';
  const shown = ids.slice(0, max).join(', ');
  return `: ${shown}${ids.length > max ? `, … and ${ids.length - max} more` : ''}`;
}

/** Progress as a bar on a terminal, as one plain line per file elsewhere (CI, pipes). */
function progressReporter(verb: string) {
  if (process.stdout.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${verb} [{bar}] {value}/{total} {file}`,
        stream: process.stdout,
        etaBuffer: 20,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(e: ProgressEvent) {
        const { done, total, file } = (e.detail ?? {}) as { done?: number; total?: number; file?: string };
        if (done === undefined || total === undefined) return;
        if (!started) {
          bar.start(total, 0, { file: '' });
          started = true;
        }
        bar.update(done, { file: file ?? '' });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  return {
    update(e: ProgressEvent) {
      const { done, total, file } = (e.detail ?? {}) as { done?: number; total?: number; file?: string };
      if (done !== undefined && total !== undefined) out(`${verb} ${done}/${total}${file ? ` ${file}` : ''}`);
    },
    stop() {},
  };
}

function printReport(report: ImportReport, dir: string, where: string, model: string) {
  out();
  out(`Imported ${dir} into ${where} (embeddings: ${model})`);
  out(`  files      ${report.files}`);
  out(`  created    ${report.created.length}${list(report.created)}`);
  out(`  updated    ${report.updated.length}${list(report.updated)}`);
  out(`  unchanged  ${report.unchanged.length}`);
  out(`  embedded   ${report.embedded} new chunk vector${report.embedded === 1 ? '' : 's'}`);
  out(`  failed     ${report.failed.length}`);
  for (const f of report.failed) out(`    ${f.file}  ${f.field}: ${f.reason}`);
}

function actor(): string {
  try {
    return `kb:ingest (${userInfo().username})`;
  } catch {
    return 'kb:ingest';
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Makes `release` one-shot and also runs it when the import is interrupted (Ctrl-C, or a
 * supervisor or test stopping it): otherwise the pid file would keep naming a process that is
 * gone, which the next owner only takes over while no other process reuses that pid. One-shot,
 * because once released another process may own the folder and its pid file must stay.
 */
function releaseOnSignal(release: () => void): () => void {
  let held = true;
  const once = () => {
    if (!held) return;
    held = false;
    for (const signal of SIGNALS) process.off(signal, onSignal);
    release();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    // The database is left unclosed, as the default signal action would leave it; the next
    // open recovers it like any crash. Only the lock is worth giving back on the way out.
    once();
    process.exit(128 + constants.signals[signal]);
  };
  for (const signal of SIGNALS) process.once(signal, onSignal);
  return once;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(USAGE);
    return 0;
  }
  const args = argv.filter((a) => !a.startsWith('-'));
  if (args.length > 1 || args.length !== argv.length) {
    err(USAGE);
    return 2;
  }

  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      err(`${error.message}\nSee .env.example for every variable.`);
      return 78;
    }
    throw error;
  }
  // Any worker may run the job, so it gets an absolute path.
  const dir = resolve(args[0] ?? config.KNOWLEDGE_BASE_DIR);
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
  } catch {
    err(`kb:ingest: ${dir} is not a folder of Markdown articles.\n\n${USAGE}`);
    return 2;
  }

  const log = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn');
  let release = () => {};
  if (!config.DATABASE_URL) {
    try {
      release = releaseOnSignal(claimDataDir(config.DATA_DIR));
    } catch (error) {
      if (error instanceof DataDirInUseError) {
        err(
          `kb:ingest: the embedded database in ${config.DATA_DIR} is in use by process ${error.pid}, ` +
            'most likely the running Sanad server.\n' +
            'Stop the server and run kb:ingest again (the server also loads the folder at start when the ' +
            'knowledge base is empty), or use DATABASE_URL so the server and this command can share Postgres.',
        );
        return 75;
      }
      throw error;
    }
  }

  let service: Composed<Service> | undefined;
  try {
    // The same composition as the server's, without its start hooks: no sample loading, no recovery.
    service = await compose(config, log, buildService({ print: () => {} }));
    const { db, jobs } = service.platform;
    const kb = service.kb;
    const where =
      db.kind === 'postgres' ? 'Postgres (DATABASE_URL)' : `the embedded database in ${resolve(config.DATA_DIR)}`;
    out(`Importing ${dir} (jobs: ${jobs.kind})`);

    const progress = progressReporter('ingest');
    let report: ImportReport;
    try {
      report = await jobs.run<ImportReport>(
        KB_JOBS.importFolder,
        { dir, by: actor() },
        { onProgress: (e) => progress.update(e) },
      );
    } finally {
      progress.stop();
    }
    printReport(report, dir, where, kb.embedder.model);

    if (await kb.needsReindex()) {
      out();
      out(`The embedding model changed to ${kb.embedder.model}: re-embedding the published articles.`);
      const reindexProgress = progressReporter('reindex');
      try {
        const done = await jobs.run<{ model: string; embedded: number }>(
          KB_JOBS.reindex,
          {},
          { onProgress: (e) => reindexProgress.update(e) },
        );
        out(`Retrieval now uses ${done.model} (${done.embedded} vectors embedded).`);
      } finally {
        reindexProgress.stop();
      }
    }
    return report.failed.length > 0 ? 1 : 0;
  } finally {
    await service?.close().catch(() => {});
    release();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  err(`kb:ingest failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
}
