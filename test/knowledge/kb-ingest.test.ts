import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run kb:ingest` as a real process, always on the embedded database in a temporary
 * data folder (so it never touches a shared Postgres), with stdout not a terminal.
 */
function ingest(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/kb-ingest.ts', ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', LOAD_SAMPLE_KB: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

let root: string;
let kb: string;
let dataDir: string;

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
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('kb:ingest', () => {
  it('imports with plain progress lines, lists failures with file and field, and exits 1', async () => {
    const { code, out } = await ingest([kb], { DATA_DIR: dataDir });
    expect(out).toContain('ingest 1/2 ar/order-tracking.md');
    expect(out).toContain('ingest 2/2 hours.md');
    expect(out).toMatch(/created\s+2: order-tracking-ar, hours/);
    expect(out).toMatch(/embedded\s+[1-9]\d* new chunk vectors/);
    expect(out).toMatch(/failed\s+1\n\s+broken\.md\s+lang: must be ar or en/);
    expect(code).toBe(1);
  });

  it('a second run is all unchanged, embeds nothing, and exits 0 once the bad file is fixed', async () => {
    await writeFile(join(kb, 'broken.md'), '---\ntitle: Fixed\nlang: en\nstatus: draft\n---\nBody.');
    const { code, out } = await ingest([kb], { DATA_DIR: dataDir });
    expect(out).toMatch(/created\s+1: broken/);
    expect(out).toMatch(/unchanged\s+2/);
    expect(out).toMatch(/embedded\s+0 new chunk vectors/);
    expect(out).toMatch(/failed\s+0/);
    expect(code).toBe(0);
  });

  it('refuses, with a clear message, when the server owns the data folder', async () => {
    await writeFile(join(dataDir, 'sanad.pid'), String(process.pid));
    try {
      const { code, out } = await ingest([kb], { DATA_DIR: dataDir });
      expect(code).toBe(75);
      expect(out).toContain(`in use by process ${process.pid}`);
      expect(out).toContain('Stop the server');
    } finally {
      await rm(join(dataDir, 'sanad.pid'), { force: true });
    }
  });

  it('explains a folder that does not exist', async () => {
    const { code, out } = await ingest([join(root, 'nope')], { DATA_DIR: dataDir });
    expect(code).toBe(2);
    expect(out).toContain('is not a folder of Markdown articles');
  });
});
