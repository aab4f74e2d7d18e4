import type { Metadata } from 'next';
import { Dialog } from '@/components/dialog';
import { ownerAccess } from '@/lib/web/auth';
import { KeysOverview } from '../../../keys-overview';
import { OwnerOnly } from '../../../owner-only';
import { loadChangePage } from '../../change-page';
import { ChangeStep } from '../../change-step';

export const metadata: Metadata = { title: 'Confirm deletion' };

export default async function ConfirmDeletionPage({
  params,
  searchParams,
}: {
  params: Promise<{ keyId: string; changeId: string }>;
  searchParams: Promise<{ resent?: string }>;
}) {
  const { keyId, changeId } = await params;
  const access = await ownerAccess(`/settings/api-keys/${keyId}/delete/${changeId}`);
  if (!access.ok) return <OwnerOnly user={access.user} />;
  const { owner } = access;
  const { key, change, challenge } = await loadChangePage(owner, keyId, changeId, 'delete');
  return (
    <>
      <KeysOverview accountId={owner.accountId} />
      <Dialog title={`Delete “${key.name}”`} closeHref="/settings/api-keys">
        <p className="mb-4 text-sm text-slate-700">
          Confirm with a two-factor code to delete <strong>{key.name}</strong> (<span className="font-mono text-xs">{key.publicKey}</span>)
          permanently.
        </p>
        <ChangeStep
          change={change}
          challenge={challenge}
          user={owner.user}
          resent={(await searchParams).resent === '1'}
          submitLabel="Delete permanently"
        />
      </Dialog>
    </>
  );
}
