import 'server-only';
import { headers } from 'next/headers';
import type { RequestContext } from '@/lib/platform/audit';
import { CLIENT_IP_HEADER } from '@/lib/platform/request-header';

export async function requestContext(): Promise<RequestContext> {
  const h = await headers();
  return { ip: h.get(CLIENT_IP_HEADER) || null, userAgent: h.get('user-agent') };
}
