import type { IncomingMessage } from 'node:http';
import * as config from './config';
import { isIpAllowed, normalizeClientIp } from './ip-whitelist';

/** `KEYDESK_TRUSTED_PROXIES`: addresses or ranges whose X-Forwarded-For is believed. */
function trustedProxies(): string[] {
  return config.trustedProxies();
}

/**
 * The caller's address: the socket's, or — only when the socket is a trusted proxy — the
 * right-most X-Forwarded-For hop that is not itself a trusted proxy.
 */
export function clientIpOf(req: IncomingMessage, proxies = trustedProxies()): string | null {
  const socketIp = normalizeClientIp(req.socket.remoteAddress ?? '');
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
