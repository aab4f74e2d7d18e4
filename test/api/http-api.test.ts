import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiGateway, MAX_BODY_BYTES } from '@/lib/api/gateway';
import { restApiListener } from '@/lib/api/http-api';
import { API_ACTIONS } from '@/lib/api/registry';
import { guardedHandler } from '@/lib/platform/http-edge';
import { edgeConfig } from '@/lib/platform/same-origin';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { signedHeaders } from '../support/api';
import { makeKey, type TestKey } from '../support/keys';

/**
 * The REST API on a real socket, composed as server.ts composes it: the API answers first, and
 * everything else goes through the browser guard to "Next" (here a stub that records what reached it).
 */
let handle: TestDatabase;
let server: Server;
let base: string;
let key: TestKey;
const reachedNext: string[] = [];

beforeAll(async () => {
  handle = await createSeededTestDatabase();
  const api = restApiListener(new ApiGateway(() => handle.db), () => '127.0.0.1');
  const pages = guardedHandler((req, res) => (reachedNext.push(req.url ?? ''), res.end('next')));
  server = createServer((req, res) => api(req, res) || pages(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  key = await makeKey(handle.db, { accountId: await accountIdOf(handle.db, 'Atlas Capital') });
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await handle?.dispose();
});

describe('the REST API served by node:http', () => {
  it('answers a signed call and a public one as JSON, never cached, without reaching Next', async () => {
    const res = await fetch(`${base}/api/rest/get_my_wallet_balance`, {
      method: 'POST',
      headers: signedHeaders(key, 'get_my_wallet_balance', '{}'),
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ ok: 'ok' });
    const time = await fetch(`${base}/api/rest-public/get_server_time`, { method: 'POST', body: '' });
    expect(await time.json()).toMatchObject({ ok: 'ok', data: { timestamp: expect.any(Number) } });
    expect(reachedNext).toEqual([]);
  });

  it('is left to its own checks: browser cross-site headers neither refuse nor help a call', async () => {
    const headers = {
      ...signedHeaders(key, 'get_my_wallet_balance', '{}'),
      'sec-fetch-site': 'cross-site',
      origin: 'https://evil.example',
    };
    expect((await fetch(`${base}/api/rest/get_my_wallet_balance`, { method: 'POST', headers, body: '{}' })).status).toBe(200);
    const unsigned = await fetch(`${base}/api/rest/get_my_wallet_balance`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-origin' },
      body: '{}',
    });
    expect([unsigned.status, await unsigned.json()]).toEqual([401, { error: 'Authorization Failed' }]);
  });

  it.each([
    ['malformed percent-encoding in the path', 'POST', '/api/rest/%E0%A4%A', {}, 400, 'Malformed URL'],
    ['a GET', 'GET', '/api/rest/get_my_wallet_balance', {}, 405, 'Use POST'],
    [
      'a multipart body',
      'POST',
      '/api/rest/get_my_wallet_balance',
      { 'content-type': 'multipart/form-data; boundary=x' },
      415,
      expect.stringContaining('JSON body'),
    ],
    [
      'a declared length over 64 KB',
      'POST',
      '/api/rest-public/get_server_time',
      { 'content-length': String(MAX_BODY_BYTES + 1) },
      400,
      `Request body over ${MAX_BODY_BYTES} bytes`,
    ],
  ])('%s answers %s… as JSON, never a 500', async (_, method, path, headers, status, error) => {
    const res = await raw(method, path, headers as Record<string, string>, method === 'GET' ? undefined : '--x--');
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body)).toEqual({ error });
  });

  it('cuts a chunked body off at 64 KB while it streams, instead of buffering it whole', async () => {
    const result = await new Promise<{ status: number; body: string; written: number }>((resolve, reject) => {
      let written = 0;
      let answered = false;
      const req = request(
        `${base}/api/rest-public/get_server_time`,
        { method: 'POST', headers: { 'transfer-encoding': 'chunked' } },
        (res) => {
          answered = true;
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, written }));
        },
      );
      req.on('error', (error) => (answered ? undefined : reject(error)));
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        // Up to 200 MB, unless the server answers first.
        while (!answered && written < 200 * 1024 * 1024) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body)).toEqual({ error: `Request body over ${MAX_BODY_BYTES} bytes` });
    expect(result.written).toBeLessThan(50 * 1024 * 1024);
  });

  it('other paths go on to Next behind the guard', async () => {
    expect(await (await fetch(`${base}/settings`)).text()).toBe('next');
    expect(reachedNext).toEqual(['/settings']);
  });
});

describe('hand-made HTTP requests to the API', () => {
  // What a header may carry on the wire (Node's client refuses the rest before sending).
  const headerValue = fc.oneof(
    fc.string({ unit: fc.constantFrom(...' !"#%&+,-./0123456789:;=?@ABCXYZ_abcxyz~\t'.split('')), maxLength: 100 }),
    fc.constantFrom('', '0', '-1', '1e309', 'NaN', '99999999999999999999', String(Math.floor(Date.now() / 1000))),
  );
  const action = fc.oneof(
    fc.constantFrom(...API_ACTIONS.map((a) => a.name)),
    fc.string({ unit: fc.constantFrom(...'abc_/.%20E0A4?#&='.split('')), maxLength: 40 }),
    fc.uint8Array({ maxLength: 6 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
  );

  it('are answered as JSON with a result or a reason, never with a 500', async () => {
    const before = reachedNext.length;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/rest/', '/api/rest-public/'),
        action,
        fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'OPTIONS'),
        fc.record(
          {
            'content-type': fc.constantFrom(
              'application/json',
              'text/plain',
              'multipart/form-data; boundary=x',
              'application/json; charset=latin1',
            ),
            'x-aggr-key': fc.oneof(fc.constant(key.publicKey), headerValue),
            'x-aggr-timestamp': headerValue,
            'x-aggr-signature': headerValue,
            'x-on-behalf-of-user-id': headerValue,
          },
          { requiredKeys: [] },
        ),
        fc.oneof(
          fc.constant('{}'),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        async (prefix, name, method, headers, body) => {
          // A path that "../" takes out of the API is Next's, as any other page's.
          fc.pre(new URL(`${prefix}${name}`, base).pathname.startsWith(prefix));
          const res = await raw(method, `${prefix}${name}`, headers as Record<string, string>, method === 'GET' ? undefined : body);
          const context = `${method} ${prefix}${name} ${JSON.stringify(headers)} → ${res.status} ${res.body.slice(0, 200)}`;
          expect(res.status, context).toBeLessThan(500);
          const answer = JSON.parse(res.body) as { ok?: string; error?: unknown };
          expect(answer.ok === 'ok' || typeof answer.error === 'string', context).toBe(true);
        },
      ),
      { numRuns: Number(process.env.KEYDESK_FUZZ_RUNS ?? 200) },
    );
    expect(reachedNext.length).toBe(before);
  });
});

describe('Strict-Transport-Security on the API', () => {
  async function hstsFrom(api: ReturnType<typeof restApiListener>): Promise<string | null> {
    const own = createServer((req, res) => api(req, res) || res.writeHead(404).end());
    await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(own.address() as AddressInfo).port}/api/rest-public/get_server_time`;
      return (await fetch(url, { method: 'POST', body: '{}' })).headers.get('strict-transport-security');
    } finally {
      await new Promise((resolve) => own.close(resolve));
    }
  }

  it('follows the configuration the server read when it started, not the environment read later', async () => {
    vi.stubEnv('NEXTAUTH_URL', 'https://keys.example.com');
    const gateway = new ApiGateway(() => handle.db);
    const startedHttps = restApiListener(gateway, () => '127.0.0.1', edgeConfig());
    const perRequest = restApiListener(gateway, () => '127.0.0.1');
    vi.stubEnv('NEXTAUTH_URL', 'http://localhost:3000');
    expect(await hstsFrom(startedHttps)).toBe('max-age=63072000; includeSubDomains');
    expect(await hstsFrom(perRequest)).toBeNull();
    vi.stubEnv('NEXTAUTH_URL', 'https://keys.example.com');
    expect(await hstsFrom(perRequest)).toBe('max-age=63072000; includeSubDomains');
    vi.unstubAllEnvs();
  });
});

function raw(method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
