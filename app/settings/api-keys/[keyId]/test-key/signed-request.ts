import { curlCommand, signRest } from '@/app/docs/api/web-signing';

/**
 * "Test this key": one REST call signed in the owner's browser, exactly as the protocol says
 * (lib/api/signing.ts; base64 HMAC-SHA256 of action + timestamp + body, the secret as its UTF-8
 * text), plus the same request as curl and as Node code. The secret goes into the signature and
 * nowhere else: not into the curl, not into the Node code, not onto the network.
 */

export interface SignedRequest {
  /** Where the browser sends it: same origin, so no credentials or CORS are involved. */
  path: string;
  headers: Record<string, string>;
  body: string;
  curl: string;
  node: string;
}

export interface RequestToSign {
  baseUrl: string;
  publicKey: string;
  secret: string;
  action: string;
  /** Sent byte for byte as signed. */
  body: string;
  /** Unix seconds, as text. */
  timestamp: string;
}

export async function signRequest(input: RequestToSign): Promise<SignedRequest> {
  const signature = await signRest(input.secret, input.action, input.timestamp, input.body);
  const headers = { 'X-AGGR-KEY': input.publicKey, 'X-AGGR-TIMESTAMP': input.timestamp, 'X-AGGR-SIGNATURE': signature };
  const path = `/api/rest/${input.action}`;
  const url = input.baseUrl.replace(/\/+$/, '') + path;
  return { path, headers, body: input.body, curl: curlCommand(url, headers, input.body), node: nodeCode(url, headers, input.body) };
}

/** The signed request as a Node 18+ module; JSON.stringify makes every value a safe JS string literal. */
export function nodeCode(url: string, headers: Record<string, string>, body: string): string {
  const headerLines = Object.entries({ 'Content-Type': 'application/json', ...headers })
    .map(([name, value]) => `    ${JSON.stringify(name)}: ${JSON.stringify(value)},`)
    .join('\n');
  return `// Node 18+ (ES module): node call.mjs — this exact request; the server accepts its timestamp for 30 s.
const res = await fetch(${JSON.stringify(url)}, {
  method: 'POST',
  headers: {
${headerLines}
  },
  body: ${JSON.stringify(body)},
});
console.log(res.status, await res.text());`;
}

/** What a refused call usually means, next to the server's own words (which name the missing permission or address). */
export function explainStatus(status: number): string | null {
  if (status === 200) return null;
  if (status === 400)
    return 'The request was refused before it was run: check the body against the action’s parameters (the answer names the field).';
  if (status === 401)
    return 'The key was not accepted: check that you pasted this key’s secret, that the key is active, and that this computer’s clock is within 30 seconds of the server’s.';
  if (status === 403)
    return 'The key may not make this call: the answer says whether the permission or this address (whitelist) is missing.';
  if (status === 404) return 'There is no such action.';
  if (status === 429) return 'Rate limit: a key may make 300 calls per minute, over REST and WebSocket together. Wait a moment.';
  return 'The server could not answer this call right now. Try again shortly.';
}
