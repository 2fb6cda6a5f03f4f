import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface Bundle {
  code: string;
  etag: string;
}

const ENTRY = fileURLToPath(new URL('../../widget/main.ts', import.meta.url));

let built: Promise<Bundle> | undefined;

/**
 * The widget's script, bundled from src/widget on first request and kept in memory: no build
 * step to forget, so `npm start` alone serves it, and a source change shows on restart.
 */
export function widgetBundle(): Promise<Bundle> {
  built ??= build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  })
    .then((result) => {
      const code = result.outputFiles[0]?.text ?? '';
      return { code, etag: `"${createHash('sha256').update(code).digest('base64url').slice(0, 16)}"` };
    })
    .catch((error) => {
      built = undefined;
      throw error;
    });
  return built;
}
