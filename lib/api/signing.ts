import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * CEX.IO Prime Liquidity request signatures. The secret is used as its UTF-8 string (not decoded
 * from base64url), exactly as client libraries written for that API do; the server passes it as
 * a KeyObject of those bytes (lib/api/key-store.ts).
 */

/** REST: base64(HMAC-SHA256(secret, action + timestamp + rawBody)), over the exact bytes received. */
export function restSignature(secret: string | KeyObject, action: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(action).update(timestamp).update(rawBody).digest('base64');
}

/** WebSocket auth: lowercase hex(HMAC-SHA256(secret, String(timestamp) + key)). */
export function wsSignature(secret: string | KeyObject, timestamp: number | string, key: string): string {
  return createHmac('sha256', secret)
    .update(String(timestamp) + key)
    .digest('hex');
}

/**
 * Constant-time comparison of a received signature with the expected one. Only the length, which
 * every signature of a kind shares and the documentation states, is compared in the open.
 */
export function signaturesMatch(received: string, expected: string): boolean {
  if (received.length !== expected.length) return false;
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
