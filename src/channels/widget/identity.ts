import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The site vouches for a signed-in user by signing their id with the shared secret
 * (HMAC-SHA256, hex), as Chatwoot's and Intercom's identity verification do: the widget can
 * then show that user's earlier conversations, and nobody can claim another user's id.
 */
export function userHash(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

export function verifyUserHash(secret: string, userId: string, hash: string): boolean {
  const expected = Buffer.from(userHash(secret, userId), 'utf8');
  const given = Buffer.from(hash.toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
