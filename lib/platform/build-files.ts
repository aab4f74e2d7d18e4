import type { IncomingMessage, OutgoingHttpHeader, RequestListener, ServerResponse } from 'node:http';
import onHeaders from 'on-headers';
import { ByteLimitedCache } from './byte-limited-cache';

/** What the build files may hold in memory, at most: Keydesk's are ~1 MB. */
const CACHE_BYTES = 32 * 1024 * 1024;
/** Headers of the connection or the moment, not of the file: Node writes its own. */
const PER_RESPONSE = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

interface KeptFile {
  headers: [string, OutgoingHttpHeader][];
  body: Buffer;
}

/**
 * Next's build files (/_next/static/: content-hashed, served `immutable`) from memory. The first
 * request for each goes through Next, and its answer — the headers Next gave it, and the file —
 * is kept by path; a later plain GET of that path gets the same answer without Next, whose
 * pipeline cost ~1.5 ms of CPU per file: a cold visitor's ten scripts and styles, more than the
 * page they came with. Whatever was set before Next (the CSP with this response's nonce, HSTS,
 * the request id) is set afresh for each request, as for any other. Ranges, conditional requests
 * and HEAD still go to Next, as does anything in `next dev`, whose files are not immutable.
 */
export function buildFilesFromMemory(next: RequestListener, maxBytes = CACHE_BYTES): RequestListener {
  const kept = new ByteLimitedCache<KeptFile>(maxBytes, (file) => file.body.length);

  return (req, res) => {
    const path = buildFilePath(req);
    if (path === null) return next(req, res);
    const file = isPlainGet(req) ? kept.get(path) : undefined;
    if (file) {
      for (const [name, value] of file.headers) res.setHeader(name, value);
      res.writeHead(200);
      res.end(file.body);
      return;
    }
    if (req.method === 'GET') recordAnswer(res, (answer) => kept.set(path, answer));
    return next(req, res);
  };
}

/** The path of a build file (Next serves one whatever the query, which must not make copies of it), or null. */
export function buildFilePath(req: IncomingMessage): string | null {
  const path = (req.url ?? '').split('?')[0];
  return path.startsWith('/_next/static/') ? path : null;
}

/**
 * An answer that stays right for as long as this build serves, for anyone: 200, marked immutable,
 * and setting no cookie (which would be one visitor's, replayed to every other).
 */
export const isKeptAnswer = (res: ServerResponse) =>
  res.statusCode === 200 && !res.hasHeader('Set-Cookie') && /\bimmutable\b/.test(String(res.getHeader('Cache-Control') ?? ''));

const isPlainGet = (req: IncomingMessage) =>
  req.method === 'GET' &&
  req.headers.range === undefined &&
  req.headers['if-none-match'] === undefined &&
  req.headers['if-modified-since'] === undefined;

/** Calls `done` with Next's answer once it has reached the client whole, if it is a file to keep: 200 and immutable. */
function recordAnswer(res: ServerResponse, done: (file: KeptFile) => void): void {
  const before = new Set(res.getHeaderNames());
  let headers: [string, OutgoingHttpHeader][] | null = null;
  onHeaders(res, () => {
    if (!isKeptAnswer(res)) return;
    // As Next spelled them (getHeaderNames() would lower-case them); @types/node declares the
    // method on ClientRequest only, Node has it on every outgoing message.
    headers = (res as ServerResponse & { getRawHeaderNames(): string[] })
      .getRawHeaderNames()
      .filter((name) => !before.has(name.toLowerCase()) && !PER_RESPONSE.has(name.toLowerCase()))
      .map((name) => [name, res.getHeader(name)!]);
  });
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  const collect = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk)); // a copy: the caller may reuse its buffer
  };
  // Collected once the headers went out and said the file is to be kept: nothing else is copied.
  res.write = function (...args: unknown[]) {
    const written = write(...args);
    if (headers) collect(args[0], args[1]);
    return written;
  } as typeof res.write;
  res.end = function (...args: unknown[]) {
    const ended = end(...args);
    if (headers && typeof args[0] !== 'function') collect(args[0], args[1]);
    return ended;
  } as typeof res.end;
  res.once('finish', () => {
    if (headers) done({ headers, body: Buffer.concat(chunks) });
  });
}
