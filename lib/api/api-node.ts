import type { RequestListener } from 'node:http';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '@/db/client';
import { withDeadline } from '@/lib/platform/database';
import { log } from '@/lib/platform/log';
import { readiness } from '@/lib/platform/readiness';
import type { EdgeConfig } from '@/lib/platform/same-origin';
import { sendJson, type Reply } from './http-api';

/**
 * What an API node (KEYDESK_ROLE=api, server.ts) answers besides the REST and WebSocket API: the
 * health and readiness a load balancer asks for, as the console's routes answer them
 * (app/api/health, app/api/ready), and for anything else a JSON 404 — the console lives on the
 * other nodes, and a proxy that sends a browser here is misconfigured, which the answer says.
 */
export function apiNodeListener(database: () => DbHandle, deadlineMs: number, edge: EdgeConfig): RequestListener {
  return (req, res) => {
    const reply: Reply = { req, res, edge };
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/api/health' && path !== '/api/ready') {
      return sendJson(reply, { status: 404, body: { error: 'Not found: this node serves the API only (KEYDESK_ROLE=api)' } });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(reply, { status: 405, body: { error: 'Use GET' }, headers: { Allow: 'GET, HEAD' } });
    }
    answerProbe(reply, path, database(), deadlineMs).catch((error: unknown) => {
      log.error({ err: error }, 'unexpected error answering a probe');
      res.destroy();
    });
  };
}

async function answerProbe(reply: Reply, path: string, handle: DbHandle, deadlineMs: number): Promise<void> {
  if (path === '/api/ready') {
    const state = await readiness(handle, deadlineMs);
    return sendJson(reply, { status: state.ready ? 200 : 503, body: { ...state } });
  }
  const up = await withDeadline(handle.db.execute(sql`select 1`), deadlineMs).then(
    () => true,
    () => false,
  );
  sendJson(reply, up ? { status: 200, body: { ok: true } } : { status: 503, body: { ok: false, error: 'Database unavailable' } });
}
