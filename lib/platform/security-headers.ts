import { randomBytes } from 'node:crypto';

/** Two years, subdomains included: sent only on responses served over https. */
export const HSTS = 'max-age=63072000; includeSubDomains';

/** A fresh nonce per response: only scripts carrying it (and what they load) may run. */
export const newNonce = (): string => randomBytes(16).toString('base64');

/**
 * The Content-Security-Policy of every page. Next reads the nonce from the request's copy of this
 * header and puts it on its own scripts; an injected inline `<script>` has none and does not run.
 * Styles may be inline (React's style attributes); nothing may frame us, post our forms elsewhere
 * or rebase our URLs. Development adds what Next's dev server needs (eval, its HMR socket).
 */
export function contentSecurityPolicy(nonce: string, options: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self'${options.dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}
