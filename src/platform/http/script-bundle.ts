import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import type { Context } from 'hono';

export interface Bundle {
  code: string;
  etag: string;
}

/**
 * A browser script bundled from TypeScript on first request and kept in memory: no build step
 * to forget, so `npm start` alone serves it, and a source change shows on restart.
 */
export function scriptBundle(entry: string): () => Promise<Bundle> {
  let built: Promise<Bundle> | undefined;
  return () => {
    built ??= build({
      entryPoints: [entry],
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
  };
}

/** The bundle as a response, revalidated by its etag on every load. */
export async function serveBundle(c: Context, bundle: () => Promise<Bundle>): Promise<Response> {
  const { code, etag } = await bundle();
  c.header('cache-control', 'no-cache');
  c.header('etag', etag);
  if (c.req.header('if-none-match') === etag) return c.body(null, 304);
  return c.body(code, 200, { 'content-type': 'text/javascript; charset=utf-8' });
}
