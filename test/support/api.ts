import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DbHandle } from '@/db/client';
import { type ApiGateway, type RestRequest } from '@/lib/api/gateway';
import { attachWebSocketApi } from '@/lib/api/ws-server';
import { eventHub } from '@/lib/platform/events';
import WebSocket from 'ws';
import { restSignature, wsSignature } from '@/lib/api/signing';
import type { TestKey } from './keys';

/** The API from outside: requests signed as a client library signs them, and the WebSocket server. */

/** A REST request exactly as a client library would sign it. */
export function signed(
  key: Pick<TestKey, 'publicKey' | 'secret'>,
  action: string,
  body: unknown = {},
  opts: { timestamp?: number; ip?: string | null; raw?: string } = {},
): RestRequest {
  const rawBody = Buffer.from(opts.raw ?? JSON.stringify(body), 'utf8');
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    action,
    key: key.publicKey,
    timestamp,
    signature: restSignature(key.secret, action, timestamp, rawBody),
    rawBody,
    ip: opts.ip === undefined ? '127.0.0.1' : opts.ip,
  };
}

/** The headers of a signed REST call as a client library sends them over HTTP, stamped now. */
export function signedHeaders(key: Pick<TestKey, 'publicKey' | 'secret'>, action: string, body = '{}'): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    'content-type': 'application/json',
    'X-AGGR-KEY': key.publicKey,
    'X-AGGR-TIMESTAMP': timestamp,
    'X-AGGR-SIGNATURE': restSignature(key.secret, action, timestamp, body),
  };
}

/** The WebSocket API on a plain HTTP server: the same code the custom server mounts. */
export async function startWsServer(
  handle: DbHandle,
  gateway: ApiGateway,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  await eventHub().start(handle);
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = attachWebSocketApi(server, gateway, () => '127.0.0.1');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/api/ws`,
    server,
    close: async () => {
      wss.clients.forEach((c) => c.terminate());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A message of the WebSocket API, as much of it as the tests read. */
export interface WsMessage {
  e?: string;
  ok?: string;
}

/**
 * A WebSocket to `url` authenticated with `key` as a CEX.IO client does it (over wss, trusting
 * `ca`): resolves once the auth is answered ok, with every message it got and will get, and when
 * it closes.
 */
export async function authenticatedSocket(
  url: string,
  key: Pick<TestKey, 'publicKey' | 'secret'>,
  options: { ca?: string } = {},
): Promise<{ socket: WebSocket; messages: WsMessage[]; closed: Promise<number> }> {
  const socket = new WebSocket(url, { ca: options.ca });
  const messages: WsMessage[] = [];
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
  const authenticated = new Promise<WsMessage>((resolve) =>
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as WsMessage;
      messages.push(message);
      if (message.e === 'auth') resolve(message);
    }),
  );
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const timestamp = Math.floor(Date.now() / 1000);
  socket.send(
    JSON.stringify({ e: 'auth', auth: { key: key.publicKey, signature: wsSignature(key.secret, timestamp, key.publicKey), timestamp } }),
  );
  const answer = await authenticated;
  if (answer.ok !== 'ok') throw new Error(`the WebSocket auth was refused: ${JSON.stringify(answer)}`);
  return { socket, messages, closed };
}
