import type { NextRequest } from 'next/server';
import { callerIp, gateway, readBody, toResponse, tooLarge } from '@/lib/web/api-route';

export const dynamic = 'force-dynamic';

/** POST /api/rest/{action}: a signed call with X-AGGR-KEY, X-AGGR-TIMESTAMP, X-AGGR-SIGNATURE. */
export async function POST(req: NextRequest, { params }: { params: Promise<{ action: string }> }) {
  const rawBody = await readBody(req);
  if (!rawBody) return tooLarge();
  const response = await gateway().rest({
    action: (await params).action,
    key: req.headers.get('x-aggr-key'),
    timestamp: req.headers.get('x-aggr-timestamp'),
    signature: req.headers.get('x-aggr-signature'),
    rawBody,
    ip: callerIp(req),
    onBehalfOf: req.headers.get('x-on-behalf-of-user-id'),
  });
  return toResponse(response);
}
