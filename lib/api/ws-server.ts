import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { metrics } from '@/lib/platform/metrics';
import { foreignOrigin } from '@/lib/platform/same-origin';
import type { ApiGateway } from './gateway';
import { WsConnection } from './ws-connection';

const WS_PATH = '/api/ws';
const WS_PUBLIC_PATH = '/api/ws-public';
const WS_MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * Next.js route handlers cannot upgrade connections, so the custom server hands `/api/ws` (private:
 * auth, then the key's actions and pushes) and `/api/ws-public` (market data, no key) upgrades
 * here; a message over 64 KB closes the socket (ws's maxPayload).
 */
export function attachWebSocketApi(
  server: Server,
  gateway: ApiGateway,
  clientIp: (req: IncomingMessage) => string | null,
  otherUpgrades?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH && path !== WS_PUBLIC_PATH) {
      if (otherUpgrades) otherUpgrades(req, socket, head);
      else socket.destroy();
      return;
    }
    // A page of another site (or an opaque `null` one) may not borrow a browser inside a
    // whitelisted network to use a stolen key; bots send no Origin and stay welcome.
    if (foreignOrigin(req) !== null) {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nForeign Origin refused.\n');
      return;
    }
    const kind = path === WS_PUBLIC_PATH ? 'public' : 'private';
    wss.handleUpgrade(req, socket, head, (ws) => {
      const open = metrics().webSockets.labels(kind);
      open.inc();
      ws.once('close', () => open.dec());
      new WsConnection(ws, gateway, clientIp(req), kind);
    });
  });
  return wss;
}
