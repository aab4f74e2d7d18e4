/**
 * The request signatures of lib/api/signing.ts, in Web Crypto, for the signature helper on /docs/api:
 * it runs in the browser so the secret never leaves the page. Same rules: the secret is used as
 * its UTF-8 string and the signed text is encoded as UTF-8, the bytes curl or fetch will send.
 */

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  // Browsers hide crypto.subtle outside secure contexts (HTTPS or localhost).
  if (!s) throw new Error('Web Crypto is not available here: open this page over HTTPS or on localhost.');
  return s;
}

async function hmacSha256(secret: string, message: string): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const key = await subtle().importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', key, encoder.encode(message)));
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** REST: base64(HMAC-SHA256(secret, action + timestamp + body)). */
export async function signRest(secret: string, action: string, timestamp: string, body: string): Promise<string> {
  return toBase64(await hmacSha256(secret, action + timestamp + body));
}

/** WebSocket auth: lowercase hex(HMAC-SHA256(secret, String(timestamp) + key)). */
export async function signWsAuth(secret: string, timestamp: number | string, key: string): Promise<string> {
  return toHex(await hmacSha256(secret, String(timestamp) + key));
}

/** Quotes a value for a POSIX shell: single quotes, each inner quote closed, escaped, reopened. */
export const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export function curlCommand(url: string, headers: Record<string, string>, body: string): string {
  const lines = [`curl -X POST ${shellQuote(url)}`, `-H 'Content-Type: application/json'`];
  for (const [name, value] of Object.entries(headers)) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  lines.push(`--data-raw ${shellQuote(body)}`);
  return lines.join(' \\\n  ');
}
