import type { NextRequest } from 'next/server';
import { gateway, readBody, toResponse, tooLarge } from '@/lib/web/api-route';

export const dynamic = 'force-dynamic';

/** POST /api/rest-public/{action}: market data, no key needed. */
export async function POST(req: NextRequest, { params }: { params: Promise<{ action: string }> }) {
  const rawBody = await readBody(req);
  if (!rawBody) return tooLarge();
  return toResponse(await gateway().publicAction((await params).action, rawBody));
}
