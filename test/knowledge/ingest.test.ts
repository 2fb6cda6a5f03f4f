import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleContent } from '../../src/knowledge/article.js';
import { contentOf, getArticle, listArticles } from '../../src/knowledge/articles.js';
import { chunkArticle } from '../../src/knowledge/chunk.js';
import { MAX_FILE_BYTES, readFolder, writeFolder } from '../../src/knowledge/folder.js';
import { testDeps } from '../helpers/backends.js';

const KB_DIR = fileURLToPath(new URL('../../knowledge-base', import.meta.url));

let deps: Awaited<ReturnType<typeof testDeps>>;
const temps: string[] = [];

beforeAll(async () => {
  deps = await testDeps();
});
afterAll(async () => {
  await deps.close();
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'sanad-kb-'));
  temps.push(dir);
  return dir;
}

const chunkRows = () =>
  deps.db.query(
    'SELECT id, article_id, article_version, kind, position, lang, content, search_text, content_hash FROM chunks ORDER BY id',
  );
const embeddingRows = () =>
  deps.db.query(
    'SELECT content_hash, model, dims, embedding::text AS embedding, created_at FROM embeddings ORDER BY content_hash, model',
  );
const byId = (list: { article: ArticleContent }[]) => new Map(list.map((p) => [p.article.id, p.article]));

describe('idempotent ingestion of knowledge-base/', () => {
  let firstChunks: unknown[];
  let firstEmbeddings: unknown[];

  it('imports every sample article once', async () => {
    const { articles } = await readFolder(KB_DIR);
    const report = await deps.kb.importFolder(KB_DIR);
    expect(report.failed).toEqual([]);
    expect(report.files).toBe(articles.length);
    expect(report.created).toHaveLength(articles.length);
    expect(report.updated).toEqual([]);
    expect(report.embedded).toBeGreaterThan(articles.length * 3);
    firstChunks = await chunkRows();
    firstEmbeddings = await embeddingRows();
    expect(firstChunks.length).toBeGreaterThan(articles.length * 3);
    expect(firstEmbeddings.length).toBe(report.embedded);
  });

  it('a second import changes nothing: all unchanged, nothing embedded, rows identical', async () => {
    const versions = await deps.db.query('SELECT article_id, version FROM article_versions ORDER BY 1, 2');
    const report = await deps.kb.importFolder(KB_DIR);
    expect(report.failed).toEqual([]);
    expect(report.created).toEqual([]);
    expect(report.updated).toEqual([]);
    expect(report.unchanged).toHaveLength(report.files);
    expect(report.embedded).toBe(0);
    expect(await chunkRows()).toEqual(firstChunks);
    expect(await embeddingRows()).toEqual(firstEmbeddings);
    expect(await deps.db.query('SELECT article_id, version FROM article_versions ORDER BY 1, 2')).toEqual(versions);
  });

  it('exports to a folder that reads back as identical articles', async () => {
    const stored = await listArticles(deps.db);
    const out = await tempDir();
    expect(await writeFolder(out, stored)).toBe(stored.length);
    const reread = await readFolder(out);
    expect(reread.failed).toEqual([]);
    const original = await readFolder(KB_DIR);
    expect(reread.articles.map((a) => a.file)).toEqual(original.articles.map((a) => a.file));
    expect(byId(reread.articles)).toEqual(byId(original.articles));
    expect(byId(reread.articles)).toEqual(new Map(stored.map((a) => [a.id, contentOf(a)])));
  });

  it('editing one article re-embeds only its changed chunks', async () => {
    const id = 'returns-policy-en';
    const before = (await getArticle(deps.db, id))!;
    const paragraphs = before.body.split('\n\n');
    const edited = {
      ...contentOf(before),
      body: [paragraphs[0], `${paragraphs[1]} Opened software cannot be returned.`, ...paragraphs.slice(2)].join(
        '\n\n',
      ),
    };
    const oldHashes = new Set((await chunkArticle(before)).map((c) => c.contentHash));
    const newDrafts = await chunkArticle(edited);
    const fresh = newDrafts.filter((c) => !oldHashes.has(c.contentHash)).length;
    expect(fresh).toBeGreaterThan(0);
    expect(fresh).toBeLessThan(newDrafts.length / 2);

    const othersBefore = firstChunks.filter((c) => (c as { article_id: string }).article_id !== id);
    const mineBefore = firstChunks.filter((c) => (c as { article_id: string }).article_id === id) as {
      id: number;
      content_hash: string;
    }[];
    const { change } = await deps.kb.save(edited, { by: 'test' });
    expect(change).toBe('updated');
    const stats = await deps.kb.index(id);
    expect(stats.embedded).toBe(fresh);
    expect(stats.written).toBeLessThanOrEqual(fresh);
    expect(stats.written).toBeGreaterThan(0);

    const after = await chunkRows();
    expect(after.filter((c) => (c as { article_id: string }).article_id !== id)).toEqual(othersBefore);
    // Unchanged chunks of the edited article keep their rows.
    const mineAfter = after.filter((c) => (c as { article_id: string }).article_id === id) as {
      id: number;
      content_hash: string;
    }[];
    const kept = mineAfter.filter((c) => mineBefore.some((b) => b.id === c.id && b.content_hash === c.content_hash));
    expect(kept.length).toBe(mineAfter.length - stats.written);
    const hashes = new Set((await embeddingRows()).map((e) => (e as { content_hash: string }).content_hash));
    for (const d of newDrafts) expect(hashes.has(d.contentHash)).toBe(true);

    // Re-importing the folder brings the file's version back, re-embedding nothing new.
    const report = await deps.kb.importFolder(KB_DIR);
    expect(report.updated).toEqual([id]);
    expect(report.embedded).toBe(0);
  });
});

describe('import errors', () => {
  const front = (fields: string) => `---\n${fields}\n---\n`;

  it('lists every bad file with its field, imports the good ones, and half-imports nothing', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'nested', 'deeper'), { recursive: true });
    const files: Record<string, string> = {
      'good-one.md': `${front('title: Good one\nlang: en\ntags: [import-test]')}A good article about importing.`,
      'nested/deeper/good-two.md': `${front('id: good-two\ntitle: الثاني\nlang: ar\nstatus: draft')}مقالة سليمة.`,
      'bad-yaml.md': `${front('title: [unclosed\nlang: en')}Body.`,
      'no-front-matter.md': 'Just text, no front matter.',
      'dup-a.md': `${front('id: dup\ntitle: A\nlang: en')}First.`,
      'nested/dup-b.md': `${front('id: dup\ntitle: B\nlang: en')}Second.`,
      'french.md': `${front('title: Bonjour\nlang: fr')}Corps.`,
      'empty-body.md': `${front('title: Empty\nlang: en')}\n   \n`,
      'unknown-field.md': `${front('title: Extra\nlang: en\ncolour: red')}Body.`,
      'big.md': `${front('title: Big\nlang: en')}${'x'.repeat(MAX_FILE_BYTES)}`,
      'README.md': '# Not an article',
    };
    for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
    const articlesBefore = await deps.db.query<{ id: string }>('SELECT id FROM articles');

    const report = await deps.kb.importFolder(dir, { by: 'import-test' });
    expect(report.created.sort()).toEqual(['good-one', 'good-two']);
    expect(report.files).toBe(10);
    expect(report.failed.map(({ file, field }) => ({ file, field }))).toEqual([
      { file: 'bad-yaml.md', field: 'front matter' },
      { file: 'big.md', field: 'file' },
      { file: 'dup-a.md', field: 'id' },
      { file: 'empty-body.md', field: 'body' },
      { file: 'french.md', field: 'lang' },
      { file: 'nested/dup-b.md', field: 'id' },
      { file: 'no-front-matter.md', field: 'front matter' },
      { file: 'unknown-field.md', field: 'colour' },
    ]);
    for (const f of report.failed) expect(f.reason.length).toBeGreaterThan(5);
    expect(report.failed.find((f) => f.file === 'dup-a.md')?.reason).toContain('nested/dup-b.md');

    const articlesAfter = await deps.db.query<{ id: string }>('SELECT id FROM articles');
    expect(articlesAfter.map((a) => a.id).sort()).toEqual(
      [...articlesBefore.map((a) => a.id), 'good-one', 'good-two'].sort(),
    );
    const good = (await getArticle(deps.db, 'good-two'))!;
    expect(good).toMatchObject({
      source_path: 'nested/deeper/good-two.md',
      status: 'draft',
      updated_by: 'import-test',
    });
    for (const id of ['dup', 'bad-yaml', 'french', 'empty-body', 'big', 'unknown-field', 'no-front-matter']) {
      expect(await deps.db.query('SELECT 1 FROM article_versions WHERE article_id = $1', [id])).toEqual([]);
      expect(await deps.db.query('SELECT 1 FROM chunks WHERE article_id = $1', [id])).toEqual([]);
    }
    // Only the published good article is indexed.
    expect(
      (await deps.db.query<{ n: number }>("SELECT count(*)::int AS n FROM chunks WHERE article_id = 'good-one'"))[0]!.n,
    ).toBeGreaterThan(0);
    expect(await deps.db.query("SELECT 1 FROM chunks WHERE article_id = 'good-two'")).toEqual([]);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('# Not an article');
  });
});
