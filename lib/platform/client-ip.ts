import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import ipaddr from 'ipaddr.js';
import * as config from './config';
import { isIpAllowed, normalizeClientIp } from './ip-whitelist';

/** `KEYDESK_TRUSTED_PROXIES`: addresses or ranges whose X-Forwarded-For is believed. */
function trustedProxies(): string[] {
  return config.trustedProxies();
}

// A keep-alive connection carries many requests (a bot's, thousands): its peer is parsed once.
const socketIps = new WeakMap<Socket, string | null>();

function socketIpOf(socket: Socket | null): string | null {
  // Null once Node has detached it: a response that ends after its connection was torn down (a
  // request Next failed mid-body) is still logged, without an address.
  if (!socket) return null;
  let ip = socketIps.get(socket);
  if (ip === undefined) {
    ip = normalizeClientIp(socket.remoteAddress ?? '');
    socketIps.set(socket, ip);
  }
  return ip;
}

/**
 * The caller's address: the socket's, or — only when the socket is a trusted proxy — the
 * right-most X-Forwarded-For hop that is not itself a trusted proxy.
 */
export function clientIpOf(req: IncomingMessage, proxies = trustedProxies()): string | null {
  const socketIp = socketIpOf(req.socket);
  if (!socketIp || proxies.length === 0 || !isIpAllowed(proxies, socketIp)) return socketIp;
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((hop) => normalizeClientIp(hop.trim()))
    .filter((hop): hop is string => hop !== null);
  for (let i = forwarded.length - 1; i >= 0; i--) {
    if (!isIpAllowed(proxies, forwarded[i])) return forwarded[i];
  }
  return forwarded[0] ?? socketIp;
}

/**
 * The unit that per-address limits count: an IPv4 address, or the /64 around an IPv6 one (a
 * subscriber's usual allocation, whose addresses its holder can rotate through at will).
 */
export function addressNetwork(ip: string | null): string {
  if (!ip || !ipaddr.isValid(ip)) return 'unknown';
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const bytes = parsed.toByteArray().fill(0, 8);
  return `${ipaddr.fromByteArray(bytes).toString()}/64`;
}
