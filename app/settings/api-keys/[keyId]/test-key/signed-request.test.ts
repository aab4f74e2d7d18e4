import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signRequest } from './signed-request';

// The shared vectors, computed directly with node:crypto (shared/vectors/signing.json, copied into the repo).
const vectors = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../../test/support/signing-vectors.json'), 'utf8')) as {
  apiKey: string;
  secret: string;
  rest: { action: string; timestamp: string; body: string; signature: string }[];
};

const BASE = 'https://keydesk.example/';
const sign = (v: (typeof vectors.rest)[number]) =>
  signRequest({ baseUrl: BASE, publicKey: vectors.apiKey, secret: vectors.secret, action: v.action, body: v.body, timestamp: v.timestamp });

/** Runs the Node code with a fetch that prints what it was asked to send, instead of sending it. */
function sentByNode(code: string): { url: string; method: string; headers: Record<string, string>; body: string } {
  const stub = `globalThis.fetch = async (url, init) => { process.stdout.write(JSON.stringify({ url, ...init })); return { status: 200, text: async () => '' }; };
console.log = () => {};\n`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', stub + code], { encoding: 'utf8' }));
}

/** What a POSIX shell hands curl for each of its arguments. */
function curlArgs(curl: string): string[] {
  const script = curl.replace(/^curl /, `f() { for a in "$@"; do printf '%s\\0' "$a"; done; }; f `);
  return execFileSync('sh', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

describe('Test this key: the request signed in the browser (Web Crypto)', () => {
  it.each(vectors.rest)('signs $action at $timestamp exactly like the reference vector', async (v) => {
    const req = await sign(v);
    expect(req.headers).toEqual({ 'X-AGGR-KEY': vectors.apiKey, 'X-AGGR-TIMESTAMP': v.timestamp, 'X-AGGR-SIGNATURE': v.signature });
    expect(req.path).toBe(`/api/rest/${v.action}`);
    expect(req.body).toBe(v.body);
  });

  it.each(vectors.rest)('the Node code for $action sends the same signed bytes', async (v) => {
    const sent = sentByNode((await sign(v)).node);
    expect(sent).toEqual({
      url: `https://keydesk.example/api/rest/${v.action}`,
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-AGGR-KEY': vectors.apiKey,
        'X-AGGR-TIMESTAMP': v.timestamp,
        'X-AGGR-SIGNATURE': v.signature,
      },
      body: v.body,
    });
  });

  it.each(vectors.rest)('the curl command for $action sends the same signed bytes', async (v) => {
    const args = curlArgs((await sign(v)).curl);
    expect(args).toContain(`https://keydesk.example/api/rest/${v.action}`);
    expect(args).toContain(`X-AGGR-SIGNATURE: ${v.signature}`);
    expect(args).toContain(`X-AGGR-TIMESTAMP: ${v.timestamp}`);
    expect(args.at(-1)).toBe(v.body);
  });

  it('never writes the secret into the curl or the Node code', async () => {
    const req = await sign(vectors.rest[0]);
    expect(req.curl).not.toContain(vectors.secret);
    expect(req.node).not.toContain(vectors.secret);
  });

  it('a body with quotes, backslashes, newlines and non-ASCII survives into both, byte for byte', async () => {
    const body = `{"comment":"it's \\"q\\" $HOME \`x\` ü\\n€"}\n`;
    const req = await signRequest({ baseUrl: BASE, publicKey: 'k', secret: 's', action: 'do_my_internal_transfer', body, timestamp: '1' });
    expect(sentByNode(req.node).body).toBe(body);
    expect(curlArgs(req.curl).at(-1)).toBe(body);
  });
});
