import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exitWithin, startProcess, stopBudget, stopStartedProcesses } from '../helpers/process.js';

// Budgets for a busy 2-core machine (the first import creates the database: ~10 s when idle).
const INGEST_MS = 180_000;
const MARGIN_MS = 30_000;
const TEST_MS = INGEST_MS + MARGIN_MS;

/**
 * `npm run kb:ingest` as a real process, always on the embedded database in a temporary
 * data folder (so it never touches a shared Postgres), with stdout not a terminal.
 */
async function ingest(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = startProcess({ LOAD_SAMPLE_KB: 'false', ...env }, 'scripts/kb-ingest.ts', args);
  const code = await exitWithin(child, INGEST_MS);
  return { code, out: child.output() };
}

let root: string;
let kb: string;
let dataDir: string;
let fakeServerLock: string | undefined;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sanad-ingest-'));
  kb = join(root, 'kb');
  dataDir = join(root, 'data');
  await mkdir(join(kb, 'ar'), { recursive: true });
  await writeFile(
    join(kb, 'ar', 'order-tracking.md'),
    '---\nid: order-tracking-ar\ntitle: كيف أتتبع طلبي؟\nlang: ar\ntags: [orders]\n---\nمن صفحة طلباتي في التطبيق.',
  );
  await writeFile(join(kb, 'hours.md'), '---\ntitle: Opening hours\nlang: en\n---\nEvery day from 9 to 11.');
  await writeFile(join(kb, 'broken.md'), '---\ntitle: Broken\nlang: fr\n---\nCorps.');
});
// A test that fails or times out must not leave its import running: the child holds the data
// folder's lock, and the next test's import would be refused with exit 75.
afterEach(async () => {
  await stopStartedProcesses();
  // Only now, once no import can be reading it: the stand-in for a running server's lock.
  if (fakeServerLock) await rm(fakeServerLock, { force: true });
  fakeServerLock = undefined;
}, stopBudget());
// After afterEach, so no import is still writing into the folder.
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('kb:ingest', () => {
  it(
    'imports with plain progress lines, lists failures with file and field, and exits 1',
    async () => {
      const { code, out } = await ingest([kb], { DATA_DIR: dataDir });
      expect(out).toContain('ingest 1/2 ar/order-tracking.md');
      expect(out).toContain('ingest 2/2 hours.md');
      expect(out).toMatch(/created\s+2: order-tracking-ar, hours/);
      expect(out).toMatch(/embedded\s+[1-9]\d* new chunk vectors/);
      expect(out).toMatch(/failed\s+1\n\s+broken\.md\s+lang: must be ar or en/);
      expect(code).toBe(1);
    },
    TEST_MS,
  );

  it(
    'a second run is all unchanged, embeds nothing, and exits 0 once the bad file is fixed',
    async () => {
      await writeFile(join(kb, 'broken.md'), '---\ntitle: Fixed\nlang: en\nstatus: draft\n---\nBody.');
      const { code, out } = await ingest([kb], { DATA_DIR: dataDir });
      expect(out).toMatch(/created\s+1: broken/);
      expect(out).toMatch(/unchanged\s+2/);
      expect(out).toMatch(/embedded\s+0 new chunk vectors/);
      expect(out).toMatch(/failed\s+0/);
      expect(code).toBe(0);
    },
    TEST_MS,
  );

  it(
    'refuses, with a clear message, when the server owns the data folder',
    async () => {
      // This test process stands in for the server: a live pid in the folder's lock file.
      fakeServerLock = join(dataDir, 'sanad.pid');
      await writeFile(fakeServerLock, String(process.pid));
      const { code, out } = await ingest([kb], { DATA_DIR: dataDir });
      expect(code).toBe(75);
      expect(out).toContain(`in use by process ${process.pid}`);
      expect(out).toContain('Stop the server');
    },
    TEST_MS,
  );

  it(
    'explains a folder that does not exist',
    async () => {
      const { code, out } = await ingest([join(root, 'nope')], { DATA_DIR: dataDir });
      expect(code).toBe(2);
      expect(out).toContain('is not a folder of Markdown articles');
    },
    TEST_MS,
  );
});
