/**
 * node scripts/build.mjs — compiles the service's TypeScript (src/, and scripts/chat.ts) to plain
 * JavaScript in build/, file for file, for `npm start` and `npm run chat`. Running through tsx
 * costs a second V8 isolate for its loader hooks (about 80 MB of memory and 2 s of start-up);
 * compiled once, the process holds only its own modules. Nothing is bundled: each module keeps
 * its place, and files read at run time are found from the project folder (src/platform/paths.ts).
 * Skips the work when no source changed since the last build. Plain JavaScript so it needs no
 * loader itself; the same esbuild transform tsx applies, so the code that runs is the same.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// esbuild's version from its package file: importing esbuild itself costs more than a no-op run.
const { version } = JSON.parse(readFileSync(join(root, 'node_modules/esbuild/package.json'), 'utf8'));
const out = join(root, 'build');
const stampFile = join(out, '.sources');
// Browser scripts are bundled from their TypeScript at run time (src/platform/http/script-bundle.ts).
const browserOnly = new Set(['src/widget', 'src/web/editor-client', 'src/web/console-client']);

function sources(dir, found = []) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!browserOnly.has(path)) sources(path, found);
    } else if (/\.tsx?$/.test(entry.name) && !/\.(test|d)\.tsx?$/.test(entry.name)) {
      found.push(path);
    }
  }
  return found;
}

const entries = [...sources('src'), 'scripts/chat.ts'].sort();
const stamp = createHash('sha256')
  .update(`esbuild ${version}\n${readFileSync(fileURLToPath(import.meta.url), 'utf8')}\n`)
  .update(
    entries
      .map((path) => {
        const s = statSync(join(root, path));
        return `${path} ${s.size} ${s.mtimeMs}`;
      })
      .join('\n'),
  )
  .digest('hex');

if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) process.exit(0);

// Built beside and swapped in whole, so a process started from build/ meanwhile (the service and
// `npm run chat` at once) never reads a half-written tree.
const next = `${out}.next-${process.pid}`;
rmSync(next, { recursive: true, force: true });
const { build } = await import('esbuild');
await build({
  entryPoints: entries.map((path) => join(root, path)),
  outdir: next,
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: join(root, 'tsconfig.json'),
  logLevel: 'warning',
});
writeFileSync(join(next, '.sources'), stamp);
const old = `${out}.old-${process.pid}`;
try {
  renameSync(out, old);
} catch {
  // No build yet, or another build (a second `npm start` at the same moment) moved it first.
}
try {
  renameSync(next, out);
} catch (error) {
  // Another build put its tree in place first: from the same sources, it is the same code.
  if (!(existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp)) throw error;
  rmSync(next, { recursive: true, force: true });
}
rmSync(old, { recursive: true, force: true });
process.stderr.write(`build: compiled ${entries.length} modules to ${relative(process.cwd(), out) || '.'}/\n`);
