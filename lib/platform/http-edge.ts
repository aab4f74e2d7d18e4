import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { actionRequestRefusal, malformedPath } from './malformed-requests';
import { clientIpOf } from './client-ip';
import { needsDatabase, serveOutagePage } from './outage-page';
import { CLIENT_IP_HEADER } from './request-header';
import { crossSiteRefusal, sendsHsts, type EdgeConfig } from './same-origin';
import { contentSecurityPolicy, HSTS, newNonce } from './security-headers';

export interface EdgeOptions {
  dev?: boolean;
  /** True while this process knows its database is unreachable: console pages get a 503 page. */
  databaseDown?: () => boolean;
  /** The configuration read once (server.ts); without it, read per request. */
  edge?: EdgeConfig;
}

/**
 * What every HTTP request for Next meets first (server.ts): its caller's address, HSTS over https,
 * the refusal of cross-site state changes (403, nothing runs), of paths that do not decode and of
 * server-action requests that are not forms (400), a per-response CSP nonce, and — while the
 * database is known to be down — an outage page instead of a render bound to fail. The signed
 * API, which no cookie authenticates, is answered before this (lib/api/http-api.ts).
 */
export function guardedHandler(next: RequestListener, options: EdgeOptions = {}): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    // Overwrite whatever the client sent: pages trust this header as the caller's address.
    req.headers[CLIENT_IP_HEADER] = clientIpOf(req, options.edge?.proxies) ?? '';
    if (sendsHsts(req, options.edge)) res.setHeader('Strict-Transport-Security', HSTS);
    if (crossSiteRefusal(req, options.edge)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Cross-site request refused.\n');
      return;
    }
    if (malformedPath(req.url ?? '/')) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Malformed URL.\n');
      return;
    }
    const malformed = actionRequestRefusal(req);
    if (malformed) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`${malformed}\n`);
      return;
    }
    const policy = contentSecurityPolicy(newNonce(), options);
    req.headers['content-security-policy'] = policy; // where Next finds the nonce for its scripts
    res.setHeader('Content-Security-Policy', policy);
    if (options.databaseDown?.() && needsDatabase(req.url ?? '/')) return serveOutagePage(req, res);
    next(req, res);
  };
}
