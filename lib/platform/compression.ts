import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { brotliCompressSync, constants, createBrotliCompress, createGzip, gzipSync, type BrotliCompress, type Gzip } from 'node:zlib';
import Negotiator from 'negotiator';
import onHeaders from 'on-headers';
import { buildFilePath, isKeptAnswer } from './build-files';
import { ByteLimitedCache } from './byte-limited-cache';

/**
 * Brotli or gzip for everything Next serves, in one piece where it can be (server.ts; `compress:
 * false` in next.config.js turns Next's own off). Next's `compression` middleware pipes every response
 * through a zlib stream flushed after each chunk it writes: for a console page, written in three
 * chunks, ~1.3 ms of CPU, against 0.25–0.8 ms to gzip the same bytes in one call (#17). Here the
 * chunks a response writes within one turn of the event loop are held; a response that ends in
 * that turn — every console page — is compressed in one call. One still writing after it (a
 * streamed render) goes on through a zlib stream flushed after each chunk, so what it streams
 * reaches the browser as it is written.
 *
 * Next's build files (/_next/static/, content-hashed and served `immutable`) are compressed once
 * per process and encoding, then sent from memory: compressing a cold visitor's ten scripts and
 * styles on every visit took ~15 ms of CPU, more than rendering the page they came with.
 */

/** Bodies that shrink: text, JSON, JavaScript, SVG and other XML — not images, fonts or archives. */
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|javascript|xml|manifest\+json)|[^;]*\+(?:json|xml)\b)/i;
/** Below this a declared body is sent as it is: the gzip framing would outweigh what it saves. */
const MIN_BYTES = 1024;
/** Held beyond this, a response streams at once: compressing in one call blocks the event loop, briefly only for a page. */
const MAX_HELD_BYTES = 1024 * 1024;

type Encoding = 'br' | 'gzip';
/**
 * Brotli for a browser that takes it (every one does over HTTPS), at quality 4: pages of rows come
 * out a fifth smaller than with gzip (a 96 KB admin page: 13.7 KB against 17.0 KB at gzip's
 * default level 6) in 80% of gzip's time; scripts the same size in 60% of it; a 15 KB page 3%
 * smaller, for 0.1 ms more. Quality 5 and up cost more CPU than gzip everywhere. A client that does
 * not take brotli gets gzip.
 */
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };
const compressInOneCall = (encoding: Encoding, body: Buffer): Buffer =>
  encoding === 'br'
    ? brotliCompressSync(body, { params: { ...BROTLI.params, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzipSync(body);
const compressionStream = (encoding: Encoding): BrotliCompress | Gzip => (encoding === 'br' ? createBrotliCompress(BROTLI) : createGzip());
/** Flushes what a stream was given so far without ending it (a zlib full flush would also reset gzip's dictionary). */
const FLUSH = { br: constants.BROTLI_OPERATION_FLUSH, gzip: constants.Z_SYNC_FLUSH } as const;

/** What the compressed build files may hold in memory, at most: Keydesk's are ~0.3 MB per encoding. */
const STATIC_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Compressed build files by encoding and path, with the ETag they were sent under. Only what Next
 * marks `immutable` under /_next/static/ enters, so `next dev`'s changing files never do.
 */
class CompressedFiles {
  private readonly kept: ByteLimitedCache<{ etag: string | undefined; body: Buffer }>;

  constructor(maxBytes = STATIC_CACHE_BYTES) {
    this.kept = new ByteLimitedCache(maxBytes, (entry) => entry.body.length);
  }

  /** The key of a response that may be kept, or null. */
  keyOf(req: IncomingMessage, res: ServerResponse, coding: Encoding): string | null {
    const path = buildFilePath(req);
    return path !== null && req.method === 'GET' && isKeptAnswer(res) ? `${coding} ${path}` : null;
  }

  get(key: string, etag: string | undefined): Buffer | undefined {
    const entry = this.kept.get(key);
    return entry && entry.etag === etag ? entry.body : undefined;
  }

  set(key: string, etag: string | undefined, body: Buffer): void {
    this.kept.set(key, { etag, body });
  }
}

type Callback = (error?: Error | null) => void;
type Chunk = string | Uint8Array;

export function compressedResponses(listener: RequestListener, options: { staticCacheBytes?: number } = {}): RequestListener {
  const files = new CompressedFiles(options.staticCacheBytes);
  return (req, res) => {
    // Decided when the headers go out; every write and end checks it after making them go out.
    let coding: Encoding | null = null;
    // A build file: its key, and what was kept of it (then what Next writes is not needed).
    let fileKey: string | null = null;
    let kept: Buffer | undefined;
    onHeaders(res, () => {
      coding = chooseEncoding(req, res);
      if (!coding) return;
      fileKey = files.keyOf(req, res, coding);
      kept = fileKey === null ? undefined : files.get(fileKey, etagOf(res));
      res.removeHeader('Content-Length');
      res.setHeader('Content-Encoding', coding);
      if (kept) res.setHeader('Content-Length', kept.length);
    });

    const write = res.write.bind(res) as (chunk: Chunk, callback?: Callback) => boolean;
    const end = res.end.bind(res) as (chunk?: Chunk, callback?: () => void) => ServerResponse;
    let held: Buffer[] = [];
    let heldBytes = 0;
    let ended = false;
    let callbacks: Callback[] = [];
    let release: NodeJS.Immediate | null = null;
    let stream: BrotliCompress | Gzip | null = null;

    /** The response outlived its first turn: from here on it streams, each chunk flushed as it comes. */
    const startStreaming = () => {
      release = null;
      const compressing = compressionStream(coding!);
      // Not waiting for the socket: what a page streams is bounded, and held in memory either way.
      compressing.on('data', (data: Buffer) => write(data));
      compressing.on('error', (error) => res.destroy(error));
      for (const chunk of held) compressing.write(chunk);
      for (const callback of callbacks) compressing.write(Buffer.alloc(0), callback);
      held = [];
      heldBytes = 0;
      callbacks = [];
      compressing.flush(FLUSH[coding!]);
      stream = compressing;
    };
    res.once('close', () => {
      if (release) clearImmediate(release);
      stream?.destroy();
    });

    res.write = function (...args: unknown[]) {
      if (!res.headersSent) res.writeHead(res.statusCode);
      if (!coding || ended) return (write as (...passed: unknown[]) => boolean)(...args);
      const [chunk, encoding, callback] = args as [Chunk, BufferEncoding | Callback | undefined, Callback | undefined];
      const done = typeof encoding === 'function' ? encoding : callback;
      if (kept) {
        if (done) process.nextTick(done);
        return true;
      }
      const bytes = toBuffer(chunk, typeof encoding === 'string' ? encoding : undefined);
      if (stream) {
        stream.write(bytes, done);
        stream.flush(FLUSH[coding]);
        return true;
      }
      held.push(bytes);
      heldBytes += bytes.length;
      if (done) callbacks.push(done);
      // A build file is held whole, however many turns Next takes to read it: compressed in one call, and kept.
      if (heldBytes > MAX_HELD_BYTES) {
        if (release) clearImmediate(release);
        fileKey = null;
        startStreaming();
      } else if (fileKey === null) release ??= setImmediate(startStreaming);
      return true;
    } as typeof res.write;

    res.end = function (...args: unknown[]) {
      if (!res.headersSent) res.writeHead(res.statusCode);
      if (!coding || ended) return (end as (...passed: unknown[]) => ServerResponse)(...args);
      ended = true;
      const [chunk, encoding] = args as [Chunk | (() => void) | undefined, BufferEncoding | (() => void) | undefined];
      const done = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      if (kept) return end(kept, done);
      const last =
        chunk === undefined || typeof chunk === 'function' ? null : toBuffer(chunk, typeof encoding === 'string' ? encoding : undefined);
      if (stream) {
        const compressing = stream;
        compressing.once('end', () => end(undefined, done));
        compressing.end(last ?? undefined);
        return res;
      }
      if (release) clearImmediate(release);
      release = null;
      const body = compressInOneCall(coding, last ? Buffer.concat([...held, last]) : Buffer.concat(held));
      if (fileKey !== null) {
        const key = fileKey;
        // Kept once the whole file reached the client: a response cut short proves nothing of it.
        res.once('finish', () => files.set(key, etagOf(res), body));
      }
      const waiting = callbacks;
      held = [];
      callbacks = [];
      return end(body, () => {
        for (const callback of waiting) callback();
        done?.();
      });
    } as typeof res.end;

    return listener(req, res);
  };
}

/** Decided when the headers go out, from them and the request alone (as Next's middleware did); null sends the body as it is. */
function chooseEncoding(req: IncomingMessage, res: ServerResponse): Encoding | null {
  const type = String(res.getHeader('Content-Type') ?? '');
  if (!COMPRESSIBLE.test(type)) return null;
  // A cache in front stores one body per encoding the browser asked for.
  addVary(res, 'Accept-Encoding');
  if (req.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304) return null;
  // A range's offsets count the file's own bytes: a compressed part would not be that part.
  if (res.statusCode === 206 || res.getHeader('Content-Range') !== undefined) return null;
  if (res.getHeader('Content-Encoding') !== undefined) return null;
  if (/\bno-transform\b/i.test(String(res.getHeader('Cache-Control') ?? ''))) return null;
  const declared = res.getHeader('Content-Length');
  if (declared !== undefined && Number(declared) < MIN_BYTES) return null;
  // Of what the client accepts with its highest weight, brotli first.
  const chosen = (new Negotiator(req) as unknown as PreferringNegotiator).encoding([...ENCODINGS, 'identity'], { preferred: ENCODINGS });
  return ENCODINGS.find((e) => e === chosen) ?? null;
}

const ENCODINGS: Encoding[] = ['br', 'gzip'];
/** negotiator 1.x breaks ties in the server's order of preference; @types/negotiator (0.6) does not know the option. */
type PreferringNegotiator = { encoding(available: readonly string[], options: { preferred: readonly string[] }): string | undefined };

const etagOf = (res: ServerResponse): string | undefined => {
  const etag = res.getHeader('ETag');
  return etag === undefined ? undefined : String(etag);
};

function addVary(res: ServerResponse, field: string): void {
  const current = res.getHeader('Vary');
  const fields = (Array.isArray(current) ? current.join(',') : String(current ?? '')).split(',').map((f) => f.trim().toLowerCase());
  if (fields.includes('*') || fields.includes(field.toLowerCase())) return;
  res.setHeader('Vary', current ? `${Array.isArray(current) ? current.join(', ') : current}, ${field}` : field);
}

function toBuffer(chunk: Chunk, encoding: BufferEncoding | undefined): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding ?? 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
