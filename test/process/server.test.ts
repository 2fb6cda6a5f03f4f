import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startProcess, waitForHttp } from '../helpers/process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sanad-proc-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the real server process', () => {
  it('serves /readyz, /openapi.json and /docs offline, refuses a second owner of the data folder, and shuts down cleanly', async () => {
    const port = await freePort();
    const env: Record<string, string> = { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    // The embedded default is what this test is about, whatever backends the suite runs on.
    const first = startProcess(env);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/livez`, 90_000);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: { database: { backend: string } } }).checks.database.backend).toBe(
        'pglite',
      );
      const doc = (await (await fetch(`http://127.0.0.1:${port}/openapi.json`)).json()) as { openapi: string };
      expect(doc.openapi).toBe('3.1.0');
      const docs = await (await fetch(`http://127.0.0.1:${port}/docs`)).text();
      expect(docs).toContain('/vendor/swagger-ui-dist/swagger-ui-bundle.js');
      expect(docs).not.toMatch(/https?:\/\/(cdn|unpkg)/);
      const bundle = await fetch(`http://127.0.0.1:${port}/vendor/swagger-ui-dist/swagger-ui-bundle.js`);
      expect(bundle.status).toBe(200);
      expect(first.output()).toMatch(/password: \S+/);

      const second = startProcess({ ...env, PORT: String(await freePort()) });
      expect(await second.exited).toBe(75);
      expect(second.output()).toMatch(/already owned by process/);
    } finally {
      first.child.kill('SIGTERM');
    }
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('stopped');
  });

  it('names every bad environment variable and exits', async () => {
    const bad = startProcess({ PORT: 'eighty', DATABASE_URL: 'mysql://x', DATA_DIR: dataDir });
    expect(await bad.exited).toBe(78);
    expect(bad.output()).toMatch(/PORT:/);
    expect(bad.output()).toMatch(/DATABASE_URL: must start with postgres/);
  });
});
