import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ApiGateway } from './gateway';
import { WsConnection } from './ws-connection';

const WS_PATH = '/api/ws';
const WS_MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * Next.js route handlers cannot upgrade connections, so the custom server hands `/api/ws`
 * upgrades here; a message over 64 KB closes the socket (ws's maxPayload).
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
    if (path !== WS_PATH) {
      if (otherUpgrades) otherUpgrades(req, socket, head);
      else socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => new WsConnection(ws, gateway, clientIp(req)));
  });
  return wss;
}
