import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { guardedHandler } from '@/lib/platform/http-edge';
import { edgeConfig } from '@/lib/platform/same-origin';

/** The guard in front of Next, on a real socket; the "app" behind it records what reached it. */
let server: Server;
let origin: string;
const reached: { method?: string; url?: string; csp?: string }[] = [];
let databaseDown = false;

beforeAll(async () => {
  server = createServer(
    guardedHandler(
      (req, res) => {
        reached.push({ method: req.method, url: req.url, csp: req.headers['content-security-policy'] as string | undefined });
        res.end('ok');
      },
      { databaseDown: () => databaseDown },
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
afterEach(() => {
  reached.length = 0;
  databaseDown = false;
  vi.unstubAllEnvs();
});

function send(method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(`${origin}${path}`, { method, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(method === 'GET' ? undefined : 'keyId=1');
  });
}

describe('cross-site state changes are refused before the app sees them', () => {
  it.each<[string, Record<string, string>]>([
    [
      'Sec-Fetch-Site: cross-site with no Origin and a foreign Referer',
      { 'sec-fetch-site': 'cross-site', referer: 'https://evil.example/x' },
    ],
    ['Sec-Fetch-Site: cross-site alone', { 'sec-fetch-site': 'cross-site' }],
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['an opaque Origin (null)', { origin: 'null' }],
    ['no Origin and a foreign Referer', { referer: 'https://evil.example/page' }],
    ['an unreadable Referer', { referer: 'not a url' }],
  ])('%s: 403, and nothing reaches the app', async (_, headers) => {
    const res = await send('POST', '/settings/api-keys/k/deactivate', headers);
    expect(res.status).toBe(403);
    expect(res.body).toBe('Cross-site request refused.\n');
    expect(reached).toEqual([]);
  });

  it('our own pages, same-site siblings and clients that name no page still post', async () => {
    const sources: Record<string, string>[] = [
      { origin, 'sec-fetch-site': 'same-origin' },
      { referer: `${origin}/settings/api-keys`, 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'same-site', origin },
      {},
    ];
    for (const headers of sources) {
      expect((await send('POST', '/settings/api-keys/k/deactivate', headers)).status).toBe(200);
    }
    expect(reached).toHaveLength(4);
  });

  it('the configured app URL counts as our own origin too', async () => {
    vi.stubEnv('NEXTAUTH_URL', 'https://keys.example.com');
    expect((await send('POST', '/x', { origin: 'https://keys.example.com' })).status).toBe(200);
    expect((await send('POST', '/x', { origin: 'https://keys.example.com.evil.example' })).status).toBe(403);
  });

  it('a guard given the configuration when the server started keeps to it (HSTS, own origin), whatever the environment says later', async () => {
    vi.stubEnv('NEXTAUTH_URL', 'https://keys.example.com');
    const edge = edgeConfig();
    vi.stubEnv('NEXTAUTH_URL', 'http://localhost:3000');
    const started = createServer(guardedHandler((_req, res) => res.end('ok'), { edge }));
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(started.address() as AddressInfo).port}/x`;
      const post = (from: string) => fetch(url, { method: 'POST', headers: { origin: from }, body: 'keyId=1' });
      const own = await post('https://keys.example.com');
      expect(own.status).toBe(200);
      expect(own.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
      expect((await post('http://localhost:3000')).status).toBe(403);
    } finally {
      await new Promise((resolve) => started.close(resolve));
    }
  });

  it('reads are not refused', async () => {
    expect((await send('GET', '/settings/api-keys', { 'sec-fetch-site': 'cross-site' })).status).toBe(200);
  });
});

describe('server-action requests that are not forms are refused before Next', () => {
  // Next reads such a body as its JSON encoding of the arguments, and answers what it cannot
  // parse with a 500; every action of this app is a form's, posted as multipart/form-data.
  it.each([
    ['text, as Next reads its JSON encoding', 'text/plain;charset=UTF-8'],
    ['JSON', 'application/json'],
    ['a urlencoded form', 'application/x-www-form-urlencoded'],
    ['no content type', ''],
  ])('%s: 400 saying why, and nothing reaches the app', async (_, type) => {
    const res = await send('POST', '/settings/api-keys/new', { 'next-action': '40abc', ...(type && { 'content-type': type }) });
    expect([res.status, res.body]).toEqual([400, 'A server action takes a form (multipart/form-data).\n']);
    expect(reached).toEqual([]);
  });

  it('a form posted to an action, and posts naming no action, reach the app', async () => {
    await send('POST', '/settings/api-keys/new', { 'next-action': '40abc', 'content-type': 'multipart/form-data; boundary=x' });
    await send('POST', '/api/auth/callback/credentials', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(reached.map((r) => r.url)).toEqual(['/settings/api-keys/new', '/api/auth/callback/credentials']);
  });
});

describe('paths that do not decode are refused before Next', () => {
  it.each(['/settings/api-keys/%ED%A0%80', '/admin/keys/%E0%A4%A', '/settings/api-keys/%FF/edit'])(
    '%s: 400, and nothing reaches the app (Next would answer its params’ decoding error with a 500)',
    async (path) => {
      const res = await send('GET', path);
      expect([res.status, res.body]).toEqual([400, 'Malformed URL.\n']);
      expect(reached).toEqual([]);
    },
  );

  it('escapes that decode, and whatever the query holds, reach the app', async () => {
    await send('GET', '/docs/api/%F0%9F%98%80%20x');
    await send('GET', '/settings/api-keys?q=%ED%A0%80');
    expect(reached.map((r) => r.url)).toEqual(['/docs/api/%F0%9F%98%80%20x', '/settings/api-keys?q=%ED%A0%80']);
  });
});

describe('Content-Security-Policy', () => {
  it('every response has a policy with a fresh nonce, and Next is handed the same one', async () => {
    const first = await send('GET', '/settings');
    const second = await send('GET', '/settings');
    const policy = String(first.headers['content-security-policy']);
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    expect(policy).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
      expect(policy).toContain(directive);
    }
    expect(policy).not.toContain('unsafe-eval');
    expect(reached[0].csp).toBe(policy);
    expect(String(second.headers['content-security-policy'])).not.toContain(nonce);
  });
});

describe('Strict-Transport-Security', () => {
  it('is not sent over plain http', async () => {
    expect((await send('GET', '/')).headers['strict-transport-security']).toBeUndefined();
  });

  it('is sent when the app URL is https', async () => {
    vi.stubEnv('NEXTAUTH_URL', 'https://keys.example.com');
    expect((await send('GET', '/')).headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
  });

  it('is sent when a trusted proxy terminated TLS, and not on an untrusted client’s say-so', async () => {
    expect((await send('GET', '/', { 'x-forwarded-proto': 'https' })).headers['strict-transport-security']).toBeUndefined();
    vi.stubEnv('KEYDESK_TRUSTED_PROXIES', '127.0.0.1');
    expect((await send('GET', '/', { 'x-forwarded-proto': 'https' })).headers['strict-transport-security']).toBe(
      'max-age=63072000; includeSubDomains',
    );
  });
});

describe('while the database is known to be down', () => {
  it('a console page is answered 503 with a page of its own, before Next renders anything', async () => {
    databaseDown = true;
    const res = await send('GET', '/settings/api-keys?token=secret-ish');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("script-src 'self' 'nonce-");
    expect(res.body).toContain('<h1>Keydesk is briefly unavailable</h1>');
    // Try again goes back to the same page, never with its query (which may hold a token).
    expect(res.body).toContain('href="/settings/api-keys"');
    expect(res.body).not.toContain('secret-ish');
    expect(res.body).not.toContain('<script');
    expect(reached).toEqual([]);
  });

  it('a path cannot put markup or another site into the page', async () => {
    databaseDown = true;
    const res = await send('GET', '/%22%3E%3Cscript%3Ealert(1)%3C/script%3E');
    expect(res.body).not.toContain('<script');
    expect(res.body).toContain('href="/%22%3E%3Cscript%3Ealert(1)%3C/script%3E"');
    expect((await send('GET', '//evil.example/x')).body).toContain('href="/settings"');
  });

  it('the API docs, assets and the API itself still reach the app', async () => {
    databaseDown = true;
    for (const path of ['/docs/api', '/_next/static/x.js', '/api/ready', '/icon.svg']) expect((await send('GET', path)).status).toBe(200);
    expect(reached.map((r) => r.url)).toEqual(['/docs/api', '/_next/static/x.js', '/api/ready', '/icon.svg']);
  });

  it('with the database up every page reaches the app', async () => {
    expect((await send('GET', '/settings')).status).toBe(200);
    expect(reached).toHaveLength(1);
  });
});
