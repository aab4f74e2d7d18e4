import { redirect } from 'next/navigation';
import type { RawParams } from '@/lib/admin/search-params';
import { requireAdmin } from '@/lib/web/auth';

/**
 * Where an administrator lands: the keys list, at /admin/keys since key details live under it.
 * Links made when the list was here (`/admin?account=…`) keep working, query and all.
 */
export default async function AdminHome({ searchParams }: { searchParams: Promise<RawParams> }) {
  await requireAdmin();
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(await searchParams)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(name, one);
  }
  const text = query.toString();
  redirect(text ? `/admin/keys?${text}` : '/admin/keys');
}
