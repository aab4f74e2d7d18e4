import { sql } from 'drizzle-orm';
import { getDb } from '@/lib/platform/database';

export const dynamic = 'force-dynamic';

/** Readiness: the app answers and its database does. Used by the benchmark as the bare route. */
export async function GET() {
  await getDb().execute(sql`select 1`);
  return Response.json({ ok: true });
}
