import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { curlCommand, shellQuote, signRest, signWsAuth } from './web-signing';

// The same independently computed vectors lib/api/signing.test.ts checks the server against.
const vectors = JSON.parse(readFileSync(path.resolve(__dirname, '../../../test/support/signing-vectors.json'), 'utf8')) as {
  apiKey: string;
  secret: string;
  rest: { action: string; timestamp: string; body: string; signature: string }[];
  websocket: { timestamp: number; signature: string }[];
};

describe('signature helper (Web Crypto)', () => {
  it.each(vectors.rest)('signs $action at $timestamp like the reference', async (v) => {
    expect(await signRest(vectors.secret, v.action, v.timestamp, v.body)).toBe(v.signature);
  });

  it.each(vectors.websocket)('signs WebSocket auth at $timestamp like the reference', async (v) => {
    expect(await signWsAuth(vectors.secret, v.timestamp, vectors.apiKey)).toBe(v.signature);
  });
});

describe('curl command', () => {
  it('quotes single quotes for the shell', () => {
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });

  it('sends the exact body, quotes and all, when run by a shell', () => {
    const body = `{"note":"it's $HOME \`x\` \\"q\\" ü"}`;
    const cmd = curlCommand('http://localhost/api/rest/x', { 'X-AGGR-KEY': 'k' }, body);
    expect(cmd).toContain("-H 'X-AGGR-KEY: k'");
    // Replace curl with printf to see what the shell hands it as the --data-raw argument.
    const script = cmd.replace(/^curl /, 'f() { while [ "$1" != --data-raw ]; do shift; done; printf %s "$2"; }; f ');
    expect(execFileSync('sh', ['-c', script], { encoding: 'utf8' })).toBe(body);
  });
});
