import type { IncomingMessage } from 'node:http';

/**
 * Every server action of this app takes its form, which React posts as multipart/form-data, with
 * JavaScript (a `Next-Action` header) and without (the action's id among the fields); an action
 * declaring no argument would be posted as text instead, so none does (lib/web/form-action.test.ts).
 * A request naming an action with any other body — Next reads text as its own JSON encoding of
 * the arguments, and answers what it cannot parse with a 500 — is refused before, with a 400.
 */
export function actionRequestRefusal(req: Pick<IncomingMessage, 'headers' | 'method'>): string | null {
  if (req.method !== 'POST' || req.headers['next-action'] === undefined) return null;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'multipart/form-data' ? null : 'A server action takes a form (multipart/form-data).';
}

/**
 * A path whose %-escapes do not decode as UTF-8 (`/settings/api-keys/%ED%A0%80`): Next fails to
 * decode such a page's params and answers 500. Refused before, with a 400, as the API does.
 */
export function malformedPath(url: string): boolean {
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  if (!path.includes('%')) return false;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}
