import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireAdmin } from '@/lib/web/auth';
import { rowId } from '@/lib/admin/search-params';
import { AdminKeyDetail } from './key-detail';

export const metadata: Metadata = { title: 'Admin · API key' };

export default async function AdminKeyPage({
  params,
  searchParams,
}: {
  params: Promise<{ keyId: string }>;
  searchParams: Promise<{ notice?: string | string[] }>;
}) {
  await requireAdmin();
  const keyId = rowId.safeParse((await params).keyId);
  if (!keyId.success) notFound();
  const { notice } = await searchParams;
  return <AdminKeyDetail keyId={keyId.data} notice={typeof notice === 'string' ? notice : undefined} />;
}
