import { createServer, request, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, brotliDecompressSync, constants, createBrotliDecompress, createGunzip, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { compressedResponses } from './compression';

const BROWSER = 'gzip, deflate, br, zstd'; // what Chromium asks for
const page = (n: number) => `<!DOCTYPE html><p>${'row of the keys table '.repeat(n)}</p>`;

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections(); // a broken test can leave a response open
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

async function serve(listener: RequestListener, options?: Parameters<typeof compressedResponses>[1]): Promise<string> {
  server = createServer(compressedResponses(listener, options));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  raw: Buffer;
}

/** The body as the client reads it, by the encoding the response says it has. */
function decoded(answer: Answer): string {
  const encoding = answer.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(answer.raw).toString();
  if (encoding === 'gzip') return gunzipSync(answer.raw).toString();
  expect(encoding).toBeUndefined();
  return answer.raw.toString();
}

/** A page compressed in one call, as the server is expected to compress it. */
const inOneCall = {
  br: (text: string) =>
    brotliCompressSync(text, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(text) },
    }),
  gzip: (text: string) => gzipSync(text),
};

function get(url: string, headers: Record<string, string> = { 'accept-encoding': BROWSER }, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request(url, { headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, raw: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

/** A page as Next writes one: status and headers, then its HTML in three chunks, all in one turn. */
const nextLikePage: RequestListener = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', vary: 'rsc' });
  const html = page(400);
  res.write(html.slice(0, 100));
  res.write(Buffer.from(html.slice(100, 3000)));
  res.end(html.slice(3000));
};

describe('compressedResponses', () => {
  it.each([
    ['br', BROWSER],
    ['gzip', 'gzip, deflate'], // Chromium over plain HTTP
  ] as const)('compresses a page written in chunks within one turn in one piece (%s), and says so to caches', async (encoding, accept) => {
    const base = await serve(nextLikePage);
    const answer = await get(`${base}/settings/api-keys`, { 'accept-encoding': accept });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBe(encoding);
    expect(answer.headers.vary).toBe('rsc, Accept-Encoding');
    expect(decoded(answer)).toBe(page(400));
    // One call over the whole page: byte for byte what compressing it at once gives (a stream
    // flushed after each chunk would add a marker per chunk), and far smaller than the page.
    expect(answer.raw.equals(inOneCall[encoding](page(400)))).toBe(true);
    expect(answer.raw.length).toBeLessThan(page(400).length / 10);
  });

  it.each([
    ['br', BROWSER],
    ['gzip', 'gzip'],
  ] as const)(
    'streams what a response writes across turns (%s), each part reaching the client as it is written',
    async (encoding, accept) => {
      let writeRest: () => void = () => {};
      const base = await serve((_req, res) => {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.write('<!DOCTYPE html><p>the shell</p>');
        writeRest = () => res.end('<p>the part that waited for its data</p>');
      });
      const received = await new Promise<{ first: string; whole: string; encoding?: string }>((resolve, reject) => {
        request(`${base}/`, { headers: { 'accept-encoding': accept } }, (res) => {
          const decompress = encoding === 'br' ? createBrotliDecompress() : createGunzip();
          let whole = '';
          let first = '';
          decompress.on('data', (text: Buffer) => {
            whole += text.toString();
            // The shell arrives, decompressible, while the rest has not been written yet.
            if (!first) {
              first = whole;
              writeRest();
            }
          });
          decompress.on('end', () => resolve({ first, whole, encoding: res.headers['content-encoding'] }));
          decompress.on('error', reject);
          res.pipe(decompress);
        })
          .on('error', reject)
          .end();
      });
      expect(received.encoding).toBe(encoding);
      expect(received.first).toBe('<!DOCTYPE html><p>the shell</p>');
      expect(received.whole).toBe('<!DOCTYPE html><p>the shell</p><p>the part that waited for its data</p>');
    },
  );

  it('sends a body of megabytes written at once whole, streaming it rather than holding it', async () => {
    const big = page(150_000); // 3.3 MB
    const base = await serve((_req, res) => {
      res.setHeader('content-type', 'text/plain');
      for (let at = 0; at < big.length; at += 65_536) res.write(big.slice(at, at + 65_536));
      res.end();
    });
    const answer = await get(base);
    expect(decoded(answer)).toBe(big);
    expect(answer.raw.equals(inOneCall.br(big))).toBe(false);
  });

  it('calls every write’s callback, held or streamed', async () => {
    const called: string[] = [];
    const base = await serve((_req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.write(page(50), () => called.push('held'));
      setTimeout(() => {
        res.write('streamed', () => called.push('streamed'));
        res.end(() => called.push('end'));
      }, 20);
    });
    const answer = await get(base);
    expect(decoded(answer)).toBe(`${page(50)}streamed`);
    await expect.poll(() => called).toEqual(['held', 'streamed', 'end']);
  });

  describe('build files', () => {
    const script = (version: string) => `/* ${version} */ ${'export const row = () => "a row of the keys table";\n'.repeat(2000)}`;
    const IMMUTABLE = 'public, max-age=31536000, immutable';
    /** A build file as Next sends one: read from disk in pieces over several turns; `files` says what is on disk now. */
    const nextLikeFiles =
      (files: Record<string, { text: string; etag: string; cacheControl?: string }>): RequestListener =>
      (req, res) => {
        const file = files[(req.url ?? '').split('?')[0]];
        res.writeHead(200, {
          'content-type': 'application/javascript; charset=UTF-8',
          etag: file.etag,
          'cache-control': file.cacheControl ?? IMMUTABLE,
        });
        const pieces = [file.text.slice(0, 40_000), file.text.slice(40_000, 80_000), file.text.slice(80_000)];
        const next = () => {
          const piece = pieces.shift();
          if (piece === undefined) res.end();
          else {
            res.write(piece);
            setImmediate(next);
          }
        };
        next();
      };

    it('compresses one read in several turns in one call, then sends it from memory: what Next writes after is not used', async () => {
      const files = { '/_next/static/chunks/app.js': { text: script('v1'), etag: 'W/"1"' } };
      const base = await serve(nextLikeFiles(files));
      const first = await get(`${base}/_next/static/chunks/app.js`);
      expect(first.raw.equals(inOneCall.br(script('v1')))).toBe(true);
      // Were it compressed again, the client would read v2 (which a content-hashed file never becomes).
      files['/_next/static/chunks/app.js'].text = script('v2');
      for (const url of ['/_next/static/chunks/app.js', '/_next/static/chunks/app.js?dpl=other']) {
        const again = await get(`${base}${url}`);
        expect(again.raw.equals(first.raw)).toBe(true);
        expect(again.headers['content-length']).toBe(String(first.raw.length));
        expect(again.headers['content-encoding']).toBe('br');
      }
      // Each encoding is kept apart.
      const gzip = await get(`${base}/_next/static/chunks/app.js`, { 'accept-encoding': 'gzip' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(decoded(gzip)).toBe(script('v2'));
    });

    it('compresses afresh a file whose ETag changed, one not immutable, and one outside the build files', async () => {
      const files = {
        '/_next/static/chunks/app.js': { text: script('v1'), etag: 'W/"1"' },
        '/_next/static/chunks/dev.js': { text: script('v1'), etag: 'W/"1"', cacheControl: 'no-store, must-revalidate' },
        '/icon.js': { text: script('v1'), etag: 'W/"1"', cacheControl: IMMUTABLE },
      };
      const base = await serve(nextLikeFiles(files));
      for (const url of Object.keys(files)) await get(`${base}${url}`);
      files['/_next/static/chunks/app.js'] = { text: script('v2'), etag: 'W/"2"' };
      files['/_next/static/chunks/dev.js'].text = script('v2');
      files['/icon.js'].text = script('v2');
      for (const url of Object.keys(files)) expect(decoded(await get(`${base}${url}`))).toBe(script('v2'));
    });

    it('keeps no more than its limit, the least recently used going first', async () => {
      const files = {
        '/_next/static/a.js': { text: script('a1'), etag: '"a"' },
        '/_next/static/b.js': { text: script('b1'), etag: '"b"' },
      };
      const size = inOneCall.br(script('a1')).length;
      const base = await serve(nextLikeFiles(files), { staticCacheBytes: size + size / 2 });
      await get(`${base}/_next/static/a.js`);
      await get(`${base}/_next/static/b.js`); // a goes: both do not fit
      files['/_next/static/a.js'].text = script('a2');
      files['/_next/static/b.js'].text = script('b2');
      expect(decoded(await get(`${base}/_next/static/b.js`))).toBe(script('b1'));
      expect(decoded(await get(`${base}/_next/static/a.js`))).toBe(script('a2'));
    });
  });

  it('sends the body as it is to a client that accepts neither, still varying on it', async () => {
    const base = await serve(nextLikePage);
    for (const acceptEncoding of ['identity', 'gzip;q=0, identity', 'br;q=0, gzip;q=0', 'deflate, zstd', '']) {
      const answer = await get(base, acceptEncoding ? { 'accept-encoding': acceptEncoding } : {});
      expect(answer.headers['content-encoding'], acceptEncoding).toBeUndefined();
      expect(answer.raw.toString()).toBe(page(400));
      expect(answer.headers.vary).toBe('rsc, Accept-Encoding');
    }
  });

  it('follows the weights the client gives, brotli first among equals', async () => {
    const base = await serve(nextLikePage);
    for (const [acceptEncoding, expected] of [
      ['br', 'br'],
      ['*', 'br'],
      ['gzip;q=1, br;q=1', 'br'],
      ['br;q=1, gzip;q=0.5', 'br'],
      ['br;q=0.5, gzip', 'gzip'],
      ['gzip, br;q=0', 'gzip'],
    ]) {
      const answer = await get(base, { 'accept-encoding': acceptEncoding });
      expect(answer.headers['content-encoding'], acceptEncoding).toBe(expected);
      expect(decoded(answer)).toBe(page(400));
    }
  });

  it('leaves alone what does not shrink or must not change: images, small bodies, encoded, no-transform, HEAD, 304, ranges', async () => {
    const png = Buffer.alloc(4096, 1);
    const base = await serve((req, res) => {
      if (req.url === '/icon.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      else if (req.url === '/health')
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '15' }).end('{"status":"ok"}');
      else if (req.url === '/encoded')
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end(gzipSync('already'));
      else if (req.url === '/raw') res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-transform' }).end(page(100));
      else if (req.url === '/unchanged') res.writeHead(304, { 'content-type': 'text/html' }).end();
      else if (req.url === '/part')
        res.writeHead(206, { 'content-type': 'text/plain', 'content-range': 'bytes 0-2047/9000' }).end(page(93));
      else nextLikePage(req, res);
    });
    const image = await get(`${base}/icon.png`);
    expect([image.headers['content-encoding'], image.headers.vary]).toEqual([undefined, undefined]);
    expect(image.raw.equals(png)).toBe(true);
    const health = await get(`${base}/health`);
    expect([health.headers['content-encoding'], health.headers['content-length'], health.raw.toString()]).toEqual([
      undefined,
      '15',
      '{"status":"ok"}',
    ]);
    const encoded = await get(`${base}/encoded`);
    expect(gunzipSync(encoded.raw).toString()).toBe('already');
    expect((await get(`${base}/raw`)).raw.toString()).toBe(page(100));
    expect((await get(`${base}/unchanged`)).headers['content-encoding']).toBeUndefined();
    const part = await get(`${base}/part`);
    expect([part.status, part.headers['content-encoding'], part.raw.toString()]).toEqual([206, undefined, page(93)]);
    const head = await get(`${base}/page`, { 'accept-encoding': BROWSER }, 'HEAD');
    expect([head.status, head.headers['content-encoding'], head.raw.length]).toEqual([200, undefined, 0]);
  });

  it('compresses JSON, scripts, styles and SVG whose length it is told, dropping the stale length', async () => {
    const script = `console.log(${JSON.stringify(page(100))});`;
    const base = await serve((req, res) => {
      const type = { '/app.js': 'application/javascript; charset=UTF-8', '/icon.svg': 'image/svg+xml', '/data': 'application/json' }[
        req.url!
      ];
      res.writeHead(200, { 'content-type': type ?? 'text/css', 'content-length': String(Buffer.byteLength(script)) }).end(script);
    });
    for (const path of ['/app.js', '/icon.svg', '/data', '/app.css']) {
      const answer = await get(`${base}${path}`);
      expect(answer.headers['content-encoding'], path).toBe('br');
      expect(answer.headers['content-length'], path).not.toBe(String(Buffer.byteLength(script)));
      expect(decoded(answer)).toBe(script);
    }
  });

  it('survives a client that leaves while a response streams, and serves the next one', async () => {
    let wrote = 0;
    const base = await serve((req, res) => {
      if (req.url !== '/slow') return nextLikePage(req, res);
      res.setHeader('content-type', 'text/html');
      const timer = setInterval(() => {
        wrote += 1;
        res.write(page(20));
      }, 5);
      res.once('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => {
      const req = request(`${base}/slow`, { headers: { 'accept-encoding': BROWSER } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.end();
    });
    await new Promise((r) => setTimeout(r, 50));
    const stoppedAt = wrote;
    await new Promise((r) => setTimeout(r, 50));
    expect(wrote).toBe(stoppedAt);
    expect(decoded(await get(`${base}/page`))).toBe(page(400));
  });
});
