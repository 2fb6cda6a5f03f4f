/**
 * The in-memory index is built when the service starts, not at the first customer's turn (which
 * would otherwise be answered by the slower database path while it builds), and /readyz says
 * where it stands. A shutdown during the build waits for it before the database closes.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildService } from '../../src/modules.js';
import { compose } from '../../src/platform/compose.js';
import { silentLog, testConfig, testDatabase } from '../helpers/backends.js';
import { eventually } from '../helpers/whatsapp.js';

const ARTICLES = ['ar/delivery-fees.md', 'en/delivery-fees.md', 'en/returns-policy.md'];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function startService() {
  const dir = mkdtempSync(join(tmpdir(), 'sanad-kb-'));
  cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
  for (const file of ARTICLES) cpSync(join('knowledge-base', file), join(dir, file), { recursive: true });
  const db = await testDatabase();
  cleanup.push(() => db.close());
  const service = await compose(
    testConfig({ LOAD_SAMPLE_KB: 'true', KNOWLEDGE_BASE_DIR: dir }),
    silentLog,
    buildService({ print: () => {} }),
    { db, prefix: `sanad-test-index-${Math.random().toString(36).slice(2)}` },
  );
  return service;
}

type IndexCheck = { state: string; articles?: number; chunks?: number };
async function indexCheck(service: Awaited<ReturnType<typeof startService>>): Promise<IndexCheck> {
  const res = await service.app().request('/readyz');
  const body = (await res.json()) as { checks: { knowledge: { index: IndexCheck } } };
  return body.checks.knowledge.index;
}

describe('the in-memory index at start', () => {
  it('is built without a turn, and /readyz reports its size', async () => {
    const service = await startService();
    cleanup.push(() => service.close());
    await service.start();
    const ready = await eventually(async () => {
      const check = await indexCheck(service);
      return check.state === 'ready' ? check : undefined;
    }, 'the index to be ready');
    expect(ready.articles).toBe(ARTICLES.length);
    expect(ready.chunks).toBeGreaterThan(ARTICLES.length);
  });

  it('is waited for when the service stops during its build', async () => {
    const service = await startService();
    await service.start();
    // Closed at once: the build may still be reading; the database must not close under it.
    await expect(service.close()).resolves.toBeUndefined();
  });
});
