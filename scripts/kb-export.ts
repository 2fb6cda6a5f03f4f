/**
 * npm run kb:export DIR — writes every article (all statuses, current version) back to
 * Markdown files under DIR, at the path it was imported from or `<lang>/<id>.md`.
 * `kb:ingest DIR` of the result changes nothing: import and export round-trip losslessly.
 */
import { resolve } from 'node:path';
import { listArticles } from '../src/knowledge/articles.js';
import { writeFolder } from '../src/knowledge/folder.js';
import { loadConfig } from '../src/platform/config.js';
import { claimDataDir, DataDirInUseError } from '../src/platform/db/data-dir-lock.js';
import { openDatabase } from '../src/platform/db/open.js';

const dir = process.argv[2];
if (!dir || dir.startsWith('-')) {
  process.stderr.write('Usage: npm run kb:export DIR\n');
  process.exit(2);
}
const config = loadConfig();
let release = () => {};
if (!config.DATABASE_URL) {
  try {
    release = claimDataDir(config.DATA_DIR);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    process.stderr.write(`kb:export: ${error.message}\n`);
    process.exit(75);
  }
}
const db = await openDatabase(config);
try {
  const articles = await listArticles(db, { limit: 1_000_000 });
  const written = await writeFolder(resolve(dir), articles);
  process.stdout.write(`Exported ${written} articles to ${resolve(dir)}\n`);
} finally {
  await db.close();
  release();
}
