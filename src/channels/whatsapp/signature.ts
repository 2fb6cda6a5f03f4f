import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=<hex>`: what Meta sends in X-Hub-Signature-256 for a body (the simulator signs with it too). */
export function signatureOf(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * True when the header is Meta's HMAC-SHA256 of exactly these bytes. The bytes must be the raw
 * body as received: JSON re-serialised (other spacing, escaped Arabic) has another signature.
 */
export function validSignature(secret: string, body: Uint8Array, header: string | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(match[1] as string, 'hex'));
}

/** Compares two secrets in constant time, whatever their lengths (digests are equal-length). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
