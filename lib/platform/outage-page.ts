import type { IncomingMessage, ServerResponse } from 'node:http';

// Pages that need no database (the API docs), Next's assets and the API (which answers its own
// 503s) are served as usual during an outage.
const SERVED_ANYWAY = /^\/(?:_next\/|api\/|docs(?:\/|$|\?)|icon\.svg|favicon\.ico|robots\.txt)/;

/** Whether a request is for a console page that, with the database unreachable, can only fail. */
export const needsDatabase = (url: string) => !SERVED_ANYWAY.test(url);

const RETRY_AFTER_SECONDS = 5;

// Self-contained: no script (it must work without JavaScript), styles inline (the CSP allows
// inline styles), the same words as app/error.tsx, which covers the moment before this process
// notices; it reloads itself every few seconds until the console is back.
const page = (retryPath: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}">
<meta name="color-scheme" content="light dark">
<title>Briefly unavailable · Keydesk</title>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #0f172a; background: #fff; }
  main { max-width: 28rem; margin: 0 auto; padding: 2.5rem 1.25rem; text-align: center; }
  h1 { font-size: 1.5rem; font-weight: 600; margin: 0; }
  p { color: #475569; margin: .5rem 0 0; }
  nav { margin-top: 1.5rem; display: flex; gap: 1rem; justify-content: center; align-items: center; flex-wrap: wrap; }
  a { color: #1d4ed8; }
  a.primary { background: #1d4ed8; color: #fff; border-radius: .375rem; padding: .5rem 1rem; font-weight: 600; text-decoration: none; }
  a:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
  @media (prefers-color-scheme: dark) {
    body { color: #e2e8f0; background: #0b1120; }
    p { color: #94a3b8; }
    a { color: #93c5fd; }
    a.primary { background: #93c5fd; color: #0b1120; }
    a:focus-visible { outline-color: #93c5fd; }
  }
</style>
</head>
<body>
<main>
<h1>Keydesk is briefly unavailable</h1>
<p>This page could not be loaded just now. Nothing you submitted is lost: try again in a few seconds.</p>
<p>This page reloads itself every ${RETRY_AFTER_SECONDS} seconds.</p>
<nav><a class="primary" href="${retryPath}">Try again</a><a href="/settings">Back to settings</a></nav>
</main>
</body>
</html>
`;

/**
 * Answers a console page with 503 and a page of its own when this process knows its database is
 * unreachable: Next would stream a shell and fail inside it (a blank page without JavaScript).
 */
export function serveOutagePage(req: IncomingMessage, res: ServerResponse): void {
  // Only the path back: never a query (it may hold a token), and always on this site.
  const path = (req.url ?? '/').split('?')[0];
  const retryPath = path.startsWith('/') && !path.startsWith('//') ? encodeURI(decodeURIPath(path)) : '/settings';
  res.writeHead(503, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'retry-after': String(RETRY_AFTER_SECONDS),
  });
  res.end(req.method === 'HEAD' ? undefined : page(retryPath));
}

function decodeURIPath(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return '/settings';
  }
}
