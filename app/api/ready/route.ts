import { databaseDeadlineMs } from '@/lib/platform/config';
import { databaseHandle } from '@/lib/platform/database';
import { readiness } from '@/lib/platform/readiness';

export const dynamic = 'force-dynamic';

/** Readiness for a load balancer: 200 when the database answers and notifications arrive, else 503. */
export async function GET() {
  const state = await readiness(databaseHandle(), databaseDeadlineMs());
  return Response.json(state, { status: state.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
