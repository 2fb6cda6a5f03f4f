import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Db } from '../platform/db/db.js';
import { one } from '../platform/db/db.js';
import type { Logger } from '../platform/log.js';
import type { ArticleContent } from './article.js';
import { hashText } from './chunk.js';
import { type FileProblem, readFolder } from './folder.js';
import type { KnowledgeBase } from './knowledge-base.js';

/** What /readyz says about the knowledge-base folder. */
export interface FolderLoadState {
  state: 'idle' | 'loading' | 'loaded' | 'incomplete';
  dir?: string;
  /** Articles of the folder now in the database and searchable, of all the folder holds. */
  loaded: number;
  total: number;
  /** Ids still to load (the first few). */
  missing: string[];
  /** Files that cannot load until they are fixed (bad format, duplicate id). */
  badFiles: FileProblem[];
  lastError?: string;
  nextAttemptAt?: string;
}

interface Record {
  /** Per file, the hash of the article as last loaded from it. */
  files: { [file: string]: string };
}

const key = (dir: string) => `kb.folder:${resolve(dir)}`;
const contentHash = (a: ArticleContent) => hashText(JSON.stringify(a));

async function readRecord(db: Db, dir: string): Promise<Record | undefined> {
  return (await one<{ value: Record }>(db, 'SELECT value FROM settings WHERE key = $1', [key(dir)]))?.value;
}

async function writeRecord(db: Db, dir: string, record: Record) {
  await db.query(
    `INSERT INTO settings (key, value) VALUES ($1, $2::text::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key(dir), JSON.stringify(record)],
  );
}

/**
 * Whether the folder is the service's to load: a database that is empty, that a folder load
 * already began in, or that an older version loaded the sample into (those never recorded it).
 * A database filled by other means (the API, kb:ingest of another folder) is left alone.
 */
async function folderOwnsDatabase(db: Db, dir: string): Promise<boolean> {
  if (await readRecord(db, dir)) return true;
  if (!(await one(db, 'SELECT 1 FROM articles LIMIT 1'))) return true;
  return Boolean(await one(db, "SELECT 1 FROM article_versions WHERE version = 1 AND changed_by = 'sample' LIMIT 1"));
}

/**
 * Keeps the database in step with the knowledge-base folder, at every start and until it is
 * done: loads each article that is missing, whose file changed since it was loaded, or that was
 * saved but never indexed. An article an editor changed in the console is not overwritten while
 * its file stays as it was. Each round is idempotent and per article, so a round cut short (the
 * embedding endpoint down, the process killed) is finished by the next: a retry timer while the
 * process runs, the next start otherwise.
 */
export function folderSync(deps: {
  db: Db;
  kb: KnowledgeBase;
  log: Logger;
  dir: string;
  retryMs: number;
  /** A human line for the terminal (progress of a long load). */
  print?: (line: string) => void;
}) {
  const { db, kb, log, dir } = deps;
  const status: FolderLoadState = { state: 'idle', loaded: 0, total: 0, missing: [], badFiles: [] };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopping = false;
  let delay = deps.retryMs;
  let lastFailed = new Set<string>();

  async function round(): Promise<void> {
    const started = performance.now();
    status.state = 'loading';
    status.dir = dir;
    const { articles, failed: badFiles } = await readFolder(dir);
    const record = (await readRecord(db, dir)) ?? { files: {} };
    const ids = articles.map((a) => a.article.id);
    const stored = new Set(
      (await db.query<{ id: string }>('SELECT id FROM articles WHERE id = ANY($1::text[])', [ids])).map((r) => r.id),
    );
    // Published, yet no chunk: saved by a load that died before indexing it.
    const unindexed = new Set(
      (
        await db.query<{ id: string }>(
          `SELECT a.id FROM articles a WHERE a.id = ANY($1::text[]) AND a.status = 'published'
           AND NOT EXISTS (SELECT 1 FROM chunks c WHERE c.article_id = a.id)`,
          [ids],
        )
      ).map((r) => r.id),
    );
    const recorded = Object.keys(record.files).length > 0;
    const due = articles.filter(({ file, article }) => {
      if (!stored.has(article.id) || unindexed.has(article.id)) return true;
      // A database an older version loaded has no record: what it holds stands.
      return recorded && record.files[file] !== contentHash(article);
    });
    for (const { file, article } of articles) {
      if (!due.some((d) => d.file === file)) record.files[file] = contentHash(article);
    }
    // Those that failed last time go last, so one bad article cannot hold up the rest.
    due.sort((a, b) => Number(lastFailed.has(a.file)) - Number(lastFailed.has(b.file)));
    status.total = articles.length;
    status.badFiles = badFiles;
    status.loaded = articles.length - due.length;
    status.missing = due.map((d) => d.article.id);
    if (due.length === 0) {
      await writeRecord(db, dir, record);
      status.state = badFiles.length ? 'incomplete' : 'loaded';
      return;
    }
    let shown = 0;
    let shownPhase = '';
    // At most a line a second, but always the first of a phase: a fast phase still shows it began.
    const show = (phase: string, line: string) => {
      const now = performance.now();
      if (now - shown < 1000 && phase === shownPhase) return;
      shown = now;
      shownPhase = phase;
      deps.print?.(line);
    };
    deps.print?.(`Loading the knowledge base: ${due.length} of ${articles.length} articles from ${dir} …`);
    const report = await kb.load(due, {
      by: 'sample',
      stopped: () => stopping,
      onProgress: (done, total, phase) =>
        show(phase, `  ${phase === 'embedding' ? 'embedding passages' : 'saving articles'}: ${done}/${total}`),
    });
    const failed = report.outcomes.filter((o) => o.problem);
    for (const o of report.outcomes) {
      const item = due.find((d) => d.file === o.file);
      if (o.change && item) record.files[o.file] = contentHash(item.article);
    }
    await writeRecord(db, dir, record);
    lastFailed = new Set(failed.map((o) => o.file));
    status.loaded = articles.length - failed.length;
    status.missing = failed.map((o) => o.id);
    status.lastError = failed[0]?.problem ? `${failed[0].problem.field}: ${failed[0].problem.reason}` : undefined;
    status.state = failed.length || badFiles.length ? 'incomplete' : 'loaded';
    const ms = Math.round(performance.now() - started);
    const loaded = report.outcomes.length - failed.length;
    log.info(
      { articles: articles.length, loaded, failed: failed.length, badFiles: badFiles.length, ms },
      'loaded the knowledge base folder',
    );
    deps.print?.(
      failed.length
        ? `  ${loaded} articles loaded, ${failed.length} not yet (${status.lastError}); retrying in the background.`
        : `  ${loaded} articles loaded in ${(ms / 1000).toFixed(1)} s.`,
    );
  }

  async function attempt(): Promise<void> {
    try {
      await round();
    } catch (error) {
      status.state = 'incomplete';
      status.lastError = (error as Error).message;
      log.warn({ err: error }, 'loading the knowledge base folder failed');
    }
    if (status.missing.length && !stopping) {
      status.nextAttemptAt = new Date(Date.now() + delay).toISOString();
      timer = setTimeout(() => {
        running = attempt();
      }, delay);
      timer.unref();
      delay = Math.min(delay * 2, deps.retryMs * 16);
    } else {
      status.nextAttemptAt = undefined;
      delay = deps.retryMs;
    }
  }

  return {
    status: (): FolderLoadState => ({ ...status, missing: status.missing.slice(0, 20) }),

    /** The first round, awaited (a first start shows its progress); later rounds run on a timer. */
    async start(): Promise<void> {
      if (!existsSync(dir) || !(await folderOwnsDatabase(db, dir))) return;
      running = attempt();
      await running;
    },

    async stop(): Promise<void> {
      stopping = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export type FolderSync = ReturnType<typeof folderSync>;
