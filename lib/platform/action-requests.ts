import type { IncomingMessage } from 'node:http';

/**
 * Every server action of this app is a form's: React posts it as multipart/form-data, with
 * JavaScript (a `Next-Action` header) and without (the action's id among the fields). A request
 * naming an action with any other body — Next reads text as its own JSON encoding of the
 * arguments — is not one our pages make, and Next answers what it cannot parse with a 500: it is
 * refused before, with a 400 that says why.
 */
export function actionRequestRefusal(req: Pick<IncomingMessage, 'headers' | 'method'>): string | null {
  if (req.method !== 'POST' || req.headers['next-action'] === undefined) return null;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'multipart/form-data' ? null : 'A server action takes a form (multipart/form-data).';
}
