import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  exitWithin,
  freePort,
  type Started,
  startProcess,
  stopBudget,
  stopStartedProcesses,
  waitForHttp,
} from '../helpers/process.js';

// Budgets for a busy 2-core machine, where a real process gets a fraction of a core next to the
// other test workers. The first start creates the database and loads the sample knowledge base.
const STARTUP_MS = 240_000;
const REQUEST_MS = 20_000;
// A process that stops at config or at the data-folder lock still has to boot Node and load its modules.
const EARLY_EXIT_MS = 90_000;
// The server's own grace (SHUTDOWN_GRACE_MS + 5 s) is shorter; this only bounds the test.
const SHUTDOWN_MS = 60_000;
const MARGIN_MS = 30_000;

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sanad-proc-'));
  // What `npm start` runs: the modules compiled into build/ (scripts/build.mjs), not tsx.
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'pipe' });
});
const MAIN = 'build/src/main.js';
// Runs even when an assertion failed or the test timed out: a server left running would hold
// the data folder and a port, and outlive the run.
afterEach(() => stopStartedProcesses(), stopBudget());
// After afterEach, so no child is still writing into the folder.
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const get = (url: string) => fetch(url, { signal: AbortSignal.timeout(REQUEST_MS) });

describe('the real server process', () => {
  it(
    'serves /readyz, /openapi.json and /docs offline, refuses a second owner of the data folder, and shuts down cleanly',
    async () => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const env: Record<string, string> = {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
      };
      // The embedded default is what this test is about, whatever backends the suite runs on.
      const first: Started = startProcess(env, MAIN);
      await waitForHttp(`${base}/livez`, STARTUP_MS, first);
      const ready = await get(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: { database: { backend: string } } }).checks.database.backend).toBe(
        'pglite',
      );
      const doc = (await (await get(`${base}/openapi.json`)).json()) as { openapi: string };
      expect(doc.openapi).toBe('3.1.0');
      const docs = await (await get(`${base}/docs`)).text();
      expect(docs).toContain('/vendor/swagger-ui-dist/swagger-ui-bundle.js');
      expect(docs).not.toMatch(/https?:\/\/(cdn|unpkg)/);
      const bundle = await get(`${base}/vendor/swagger-ui-dist/swagger-ui-bundle.js`);
      expect(bundle.status).toBe(200);
      // Read to the end: a half-read response keeps its connection busy, and the server's
      // shutdown would wait its whole grace for it.
      expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(0);
      // Files read at run time are found from the project folder, not from build/: the widget
      // script is bundled from its TypeScript source on this first request.
      const widget = await get(`${base}/widget/sanad.js`);
      expect(widget.status).toBe(200);
      expect(await widget.text()).toMatch(/sanad/i);
      expect(first.output()).toMatch(/password: \S+/);

      const second = startProcess({ ...env, PORT: String(await freePort()) }, MAIN);
      expect(await exitWithin(second, EARLY_EXIT_MS)).toBe(75);
      expect(second.output()).toMatch(/already owned by process/);

      first.child.kill('SIGTERM');
      expect(await exitWithin(first, SHUTDOWN_MS)).toBe(0);
      expect(first.output()).toContain('stopped');
    },
    STARTUP_MS + 5 * REQUEST_MS + EARLY_EXIT_MS + SHUTDOWN_MS + MARGIN_MS,
  );

  it(
    'names every bad environment variable and exits',
    async () => {
      const bad = startProcess({ PORT: 'eighty', DATABASE_URL: 'mysql://x', DATA_DIR: dataDir }, MAIN);
      expect(await exitWithin(bad, EARLY_EXIT_MS)).toBe(78);
      expect(bad.output()).toMatch(/PORT:/);
      expect(bad.output()).toMatch(/DATABASE_URL: must start with postgres/);
    },
    EARLY_EXIT_MS + MARGIN_MS,
  );
});
