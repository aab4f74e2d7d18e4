import { createServer, request, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFilesFromMemory } from './build-files';

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

/** What Next has on disk, and how often it was asked. */
interface Disk {
  files: Record<string, { text: string; cacheControl?: string; cookie?: string }>;
  asked: string[];
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const script = (version: string) => `/* ${version} */ ${'export const row = () => 1;\n'.repeat(200)}`;

/** Next as it serves a build file: its own headers, then the file in two pieces over two turns; 404 for what it lacks. */
const nextLike =
  (disk: Disk): RequestListener =>
  (req, res) => {
    disk.asked.push(`${req.method} ${req.url}`);
    const file = disk.files[(req.url ?? '').split('?')[0]];
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.setHeader('X-Frame-Options', 'DENY');
    if (file.cookie) res.setHeader('Set-Cookie', file.cookie);
    res.writeHead(200, {
      'Content-Type': 'application/javascript; charset=UTF-8',
      'Cache-Control': file.cacheControl ?? IMMUTABLE,
      ETag: `"${file.text.length}"`,
    });
    res.write(file.text.slice(0, 100));
    setImmediate(() => res.end(Buffer.from(file.text.slice(100))));
  };

async function serve(disk: Disk, maxBytes?: number): Promise<string> {
  const files = buildFilesFromMemory(nextLike(disk), maxBytes);
  let nonce = 0;
  // As the browser defences do before Next: a header of this response alone.
  server = createServer((req, res) => {
    res.setHeader('content-security-policy', `script-src 'nonce-${++nonce}'`);
    files(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: IncomingMessage['headers']; names: string[]; body: string }>((resolve, reject) => {
    request(url, { headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          // The names as sent, in their case.
          names: res.rawHeaders.filter((_, i) => i % 2 === 0),
          body: Buffer.concat(chunks).toString(),
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}

const withoutMoment = ({ date: _date, 'content-security-policy': _csp, ...rest }: IncomingMessage['headers']) => rest;

describe('buildFilesFromMemory', () => {
  it('answers a build file once through Next, then from memory: the same status, headers and bytes, with its own CSP', async () => {
    const disk: Disk = { files: { '/_next/static/chunks/app.js': { text: script('v1') } }, asked: [] };
    const base = await serve(disk);
    const first = await get(`${base}/_next/static/chunks/app.js`);
    // Were Next asked again, the client would read v2 (which a content-hashed file never becomes).
    disk.files['/_next/static/chunks/app.js'].text = script('v2');
    const again = await get(`${base}/_next/static/chunks/app.js`);
    const otherQuery = await get(`${base}/_next/static/chunks/app.js?dpl=1`);
    expect(disk.asked).toEqual(['GET /_next/static/chunks/app.js']);
    for (const answer of [again, otherQuery]) {
      expect(answer.status).toBe(200);
      expect(answer.body).toBe(script('v1'));
      expect(withoutMoment(answer.headers)).toEqual(withoutMoment(first.headers));
      expect(answer.names.filter((name) => name !== 'Date').sort()).toEqual(first.names.filter((name) => name !== 'Date').sort());
      expect(answer.headers['x-frame-options']).toBe('DENY');
    }
    expect([first, again, otherQuery].map((a) => a.headers['content-security-policy'])).toEqual([
      "script-src 'nonce-1'",
      "script-src 'nonce-2'",
      "script-src 'nonce-3'",
    ]);
  });

  it('leaves to Next ranges, conditional requests and HEAD of a kept file', async () => {
    const disk: Disk = { files: { '/_next/static/app.js': { text: script('v1') } }, asked: [] };
    const base = await serve(disk);
    await get(`${base}/_next/static/app.js`);
    await get(`${base}/_next/static/app.js`, { range: 'bytes=0-9' });
    await get(`${base}/_next/static/app.js`, { 'if-none-match': `"${script('v1').length}"` });
    await get(`${base}/_next/static/app.js`, { 'if-modified-since': new Date().toUTCString() });
    await get(`${base}/_next/static/app.js`, {}, 'HEAD');
    expect(disk.asked).toHaveLength(5);
  });

  it('keeps nothing but what Next answered 200 and immutable under /_next/static/, without a cookie', async () => {
    const disk: Disk = {
      files: {
        '/_next/static/dev.js': { text: script('v1'), cacheControl: 'public, max-age=0, must-revalidate' },
        '/icon.js': { text: script('v1') },
        '/_next/static/with-cookie.js': { text: script('v1'), cookie: 'session=one-visitor' },
      },
      asked: [],
    };
    const base = await serve(disk);
    for (const path of ['/_next/static/dev.js', '/icon.js', '/_next/static/missing.js', '/_next/static/with-cookie.js']) {
      await get(`${base}${path}`);
      await get(`${base}${path}`);
    }
    expect(disk.asked).toHaveLength(8);
  });

  it('holds no more than its limit, the least recently used going first', async () => {
    const disk: Disk = { files: { '/_next/static/a.js': { text: script('a') }, '/_next/static/b.js': { text: script('b') } }, asked: [] };
    const base = await serve(disk, script('a').length * 1.5);
    await get(`${base}/_next/static/a.js`);
    await get(`${base}/_next/static/b.js`); // a goes: both do not fit
    await get(`${base}/_next/static/b.js`);
    await get(`${base}/_next/static/a.js`);
    expect(disk.asked).toEqual(['GET /_next/static/a.js', 'GET /_next/static/b.js', 'GET /_next/static/a.js']);
  });
});
