import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendsHsts, type EdgeConfig } from '@/lib/platform/same-origin';
import { HSTS } from '@/lib/platform/security-headers';
import { MAX_BODY_BYTES, type ApiGateway } from './gateway';
import type { ApiResponse } from './responses';
import { log } from '@/lib/platform/log';
import { answered } from '@/lib/platform/metrics';

const SIGNED_PREFIX = '/api/rest/';
const PUBLIC_PREFIX = '/api/rest-public/';

/** Answered by the API itself, before anything else; false for every other path. */
export type ApiListener = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The REST API served by the custom server (server.ts) with `node:http`, before a request reaches
 * Next: a trading bot needs none of Next's request pipeline, which cost far more than the checks
 * themselves. The WebSocket API is mounted the same way (./ws-server.ts). No cookie authenticates
 * these routes — the HMAC does — so the browser defences of lib/platform/http-edge.ts do not apply.
 */
export function restApiListener(
  gateway: ApiGateway,
  clientIp: (req: IncomingMessage) => string | null,
  /** The configuration read once (server.ts); without it, read per request. */
  edge?: EdgeConfig,
): ApiListener {
  return (req, res) => {
    const url = req.url ?? '';
    const signed = url.startsWith(SIGNED_PREFIX);
    if (!signed && !url.startsWith(PUBLIC_PREFIX)) return false;
    const reply: Reply = { req, res, edge };
    try {
      serve(gateway, reply, signed, clientIp);
    } catch (error) {
      fail(reply, error);
    }
    return true;
  };
}

/** The request being answered, and the configuration its answer's headers follow. */
export interface Reply {
  req: IncomingMessage;
  res: ServerResponse;
  edge: EdgeConfig | undefined;
}

function fail(reply: Reply, error: unknown): void {
  const { res } = reply;
  log.error({ err: error }, 'unexpected error answering an API request');
  if (res.headersSent) res.destroy();
  else sendJson(reply, { status: 500, body: { error: 'Internal error' } });
}

// Callbacks rather than async functions, and the gateway's answer without a promise when it is
// in memory: each promise costs the process's async hooks a round (see lib/platform/awaitable.ts).
function serve(gateway: ApiGateway, reply: Reply, signed: boolean, clientIp: (req: IncomingMessage) => string | null): void {
  const { req } = reply;
  if (req.method !== 'POST') {
    return sendJson(reply, { status: 405, body: { error: 'Use POST' }, headers: { Allow: 'POST' } }, { close: true });
  }
  const action = actionOf(req.url ?? '', signed ? SIGNED_PREFIX : PUBLIC_PREFIX);
  if (action === null) return sendJson(reply, { status: 400, body: { error: 'Malformed URL' } }, { close: true });
  if (/^multipart\//i.test(req.headers['content-type'] ?? '')) {
    const refusal = { status: 415, body: { error: 'Send the params as a JSON body (Content-Type: application/json)' } };
    return sendJson(reply, refusal, { close: true });
  }
  readBody(
    req,
    (rawBody) => {
      if (rawBody === null) {
        return sendJson(reply, { status: 400, body: { error: `Request body over ${MAX_BODY_BYTES} bytes` } }, { close: true });
      }
      const response = signed
        ? gateway.rest({
            action,
            key: header(req, 'x-aggr-key'),
            timestamp: header(req, 'x-aggr-timestamp'),
            signature: header(req, 'x-aggr-signature'),
            onBehalfOf: header(req, 'x-on-behalf-of-user-id'),
            rawBody,
            ip: clientIp(req),
          })
        : gateway.publicAction(action, rawBody);
      if (response instanceof Promise) {
        response.then(
          (answer) => sendJson(reply, answer),
          (error: unknown) => fail(reply, error),
        );
      } else sendJson(reply, response);
    },
    (error) => fail(reply, error),
  );
}

/** The action named by the path, percent-decoded; null when the encoding is malformed. */
function actionOf(url: string, prefix: string): string | null {
  const end = url.indexOf('?');
  const segment = url.slice(prefix.length, end === -1 ? undefined : end);
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

const header = (req: IncomingMessage, name: string): string | null => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
};

/**
 * The exact bytes received (the signature covers them), or null past the limit: a declared
 * length over it is refused unread, and a chunked body is cut off while it streams, so no request
 * can make the server hold more than the limit.
 */
function readBody(req: IncomingMessage, done: (body: Buffer | null) => void, failed: (error: Error) => void): void {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return done(null);
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  // Inline, not a named local function: see the note on tsx's keepNames in ./gateway.ts.
  req.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      req.pause();
      settled = true;
      done(null);
      return;
    }
    chunks.push(chunk);
  });
  req.once('end', () => {
    if (settled) return;
    settled = true;
    done(Buffer.concat(chunks, size));
  });
  req.once('error', (error) => {
    if (settled) return;
    settled = true;
    failed(error);
  });
}

/** An answer as JSON, with the headers every API answer carries. */
export function sendJson(reply: Reply, response: ApiResponse, options: { close?: boolean } = {}): void {
  const { req, res, edge } = reply;
  const body = response.json ?? JSON.stringify(response.body);
  res.writeHead(response.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(sendsHsts(req, edge) && { 'strict-transport-security': HSTS }),
    // A refused request may still be sending its body: end the connection rather than read it.
    ...(options.close && { connection: 'close' }),
    ...response.headers,
  });
  if (options.close) res.end(body, () => req.destroy());
  else res.end(body);
  answered(req, res);
}
