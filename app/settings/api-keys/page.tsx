import type { Metadata } from 'next';
import { ownerAccess } from '@/lib/web/auth';
import { KeysOverview, type KeyListParams } from './keys-overview';
import { OwnerOnly } from './owner-only';

export const metadata: Metadata = { title: 'API Keys Management' };

export default async function ApiKeysPage({ searchParams }: { searchParams: Promise<KeyListParams & { notice?: string }> }) {
  const access = await ownerAccess('/settings/api-keys');
  if (!access.ok) return <OwnerOnly user={access.user} />;
  const { notice, ...params } = await searchParams;
  return <KeysOverview accountId={access.owner.accountId} notice={notice} params={params} />;
}
