import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's folder (the one holding package.json). Files read at run time (migrations,
 * prompts, model files, the browser scripts bundled on first request) are found from it rather
 * than from the reading module's own place, because `npm start` runs the modules compiled into
 * `build/` while those files stay where they are written.
 */
export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, e.g. `projectPath('src/platform/db/migrations')`. */
export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}

function findRoot(from: string): string {
  for (let dir = from; ; ) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}: cannot find the project folder`);
    dir = parent;
  }
}
