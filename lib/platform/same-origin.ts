import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { appUrl, tlsSelfSigned, trustedProxies } from './config';
import { isIpAllowed, normalizeClientIp } from './ip-whitelist';

/**
 * Which requests come from this app's own pages. Browsers name the page a request comes from
 * (Origin, Sec-Fetch-Site, Referer); a cookie-bearing request named by another site is a forgery
 * attempt, whatever Next's own checks would make of it. Bots name no page and are left alone.
 */

type Request = Pick<IncomingMessage, 'headers' | 'method' | 'socket'>;

const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** What these rules read from the configuration (lib/platform/config.ts). */
export interface EdgeConfig {
  proxies: string[];
  appUrl: string;
  tlsSelfSigned: boolean;
}

/**
 * The configuration as it is now. The rules below read it per request unless given it; the
 * server reads it once when it starts and gives it to its listeners (server.ts): the environment
 * does not change then, and reading it costs a bot's every call a few microseconds.
 */
export function edgeConfig(): EdgeConfig {
  return { proxies: trustedProxies(), appUrl: appUrl(), tlsSelfSigned: tlsSelfSigned() };
}

function fromTrustedProxy(req: Request, proxies = trustedProxies()): boolean {
  if (proxies.length === 0) return false;
  const socketIp = normalizeClientIp(req.socket?.remoteAddress ?? '');
  return socketIp !== null && isIpAllowed(proxies, socketIp);
}

/** Served over https: TLS on this socket, or terminated by a trusted proxy that says so, or an https app URL. */
export function servedOverHttps(req: Request, config?: EdgeConfig): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (header(req, 'x-forwarded-proto')?.split(',')[0].trim() === 'https' && fromTrustedProxy(req, config?.proxies)) return true;
  return (config?.appUrl ?? appUrl()).startsWith('https:');
}

/**
 * Whether responses pin https (HSTS): served over https, unless the certificate is the generated
 * self-signed one — pinning localhost for two years would break every other local app on it.
 */
export function sendsHsts(req: Request, config?: EdgeConfig): boolean {
  return servedOverHttps(req, config) && !(config?.tlsSelfSigned ?? tlsSelfSigned());
}

/** The origins this app answers as: its configured URL's, and the one the request's Host names. */
export function ownOrigins(req: Request, config?: EdgeConfig): Set<string> {
  const origins = new Set([new URL(config?.appUrl ?? appUrl()).origin]);
  const host = (fromTrustedProxy(req, config?.proxies) && header(req, 'x-forwarded-host')) || header(req, 'host');
  if (host) origins.add(`${servedOverHttps(req, config) ? 'https' : 'http'}://${host.toLowerCase()}`);
  return origins;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** A browser's Origin that is not ours (`null` included: sandboxed frames, data: pages); none for bots. */
export function foreignOrigin(req: Request, config?: EdgeConfig): string | null {
  const origin = header(req, 'origin');
  if (origin === undefined) return null;
  return ownOrigins(req, config).has(origin.toLowerCase()) ? null : origin;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a state-changing request must be refused as cross-site, or null. Sec-Fetch-Site says so
 * outright; else the Origin; else (old browsers, privacy settings) the Referer's origin.
 */
export function crossSiteRefusal(req: Request, config?: EdgeConfig): string | null {
  if (SAFE_METHODS.has((req.method ?? 'GET').toUpperCase())) return null;
  if (header(req, 'sec-fetch-site') === 'cross-site') return 'Sec-Fetch-Site: cross-site';
  const origin = foreignOrigin(req, config);
  if (origin !== null) return `Origin ${origin}`;
  if (header(req, 'origin') !== undefined) return null;
  const referer = header(req, 'referer');
  if (referer === undefined) return null;
  const refererOrigin = originOf(referer);
  return refererOrigin !== null && ownOrigins(req, config).has(refererOrigin) ? null : `Referer ${refererOrigin ?? 'unreadable'}`;
}
