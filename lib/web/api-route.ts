import 'server-only';
import type { NextRequest } from 'next/server';
import { getDb } from '@/lib/platform/database';
import { CLIENT_IP_HEADER } from '@/lib/platform/request-header';
import { apiGateway, MAX_BODY_BYTES, type ApiResponse } from '@/lib/api/gateway';

export const gateway = () => apiGateway(getDb);

/** The exact bytes received (the signature covers them), refusing bodies over the limit. */
export async function readBody(req: NextRequest): Promise<Buffer | null> {
  if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return null;
  const body = Buffer.from(await req.arrayBuffer());
  return body.length > MAX_BODY_BYTES ? null : body;
}

export function callerIp(req: NextRequest): string | null {
  return req.headers.get(CLIENT_IP_HEADER) || null;
}

export function toResponse(res: ApiResponse): Response {
  return Response.json(res.body, { status: res.status, headers: { 'Cache-Control': 'no-store', ...res.headers } });
}

export const tooLarge = () => toResponse({ status: 400, body: { error: `Request body over ${MAX_BODY_BYTES} bytes` } });
