import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';

/**
 * A nonce per page for its own inline settings and styles; nothing else inline runs. Shadow-root
 * styles are inline `<style>` elements, hence 'unsafe-inline' for styles only.
 */
export function pageNonce(c: Context): string {
  const nonce = randomBytes(16).toString('base64');
  c.header(
    'content-security-policy',
    `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'`,
  );
  return nonce;
}
