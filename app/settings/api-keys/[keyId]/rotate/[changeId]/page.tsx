import type { Metadata } from 'next';
import { Dialog } from '@/components/dialog';
import { ownerAccess } from '@/lib/web/auth';
import { GRACE_LABELS, GRACE_PERIODS, GRACE_CHOICES } from '@/lib/keys/grace';
import { KeysOverview } from '../../../keys-overview';
import { OwnerOnly } from '../../../owner-only';
import { loadChangePage } from '../../change-page';
import { ChangeStep } from '../../change-step';

export const metadata: Metadata = { title: 'Confirm secret rotation' };

export default async function ConfirmRotationPage({
  params,
  searchParams,
}: {
  params: Promise<{ keyId: string; changeId: string }>;
  searchParams: Promise<{ resent?: string }>;
}) {
  const { keyId, changeId } = await params;
  const access = await ownerAccess(`/settings/api-keys/${keyId}/rotate/${changeId}`);
  if (!access.ok) return <OwnerOnly user={access.user} />;
  const { owner } = access;
  const { key, change, challenge } = await loadChangePage(owner, keyId, changeId, 'rotate');
  const grace = GRACE_CHOICES.find((choice) => GRACE_PERIODS[choice] === change.graceSeconds);
  return (
    <>
      <KeysOverview accountId={owner.accountId} />
      <Dialog title={`Rotate the secret of “${key.name}”`} closeHref={`/settings/api-keys/${key.id}`}>
        {change.status === 'pending_confirmation' && grace ? (
          <p className="mb-4 text-sm text-slate-700">
            Confirm with a two-factor code to give <strong>{key.name}</strong> (<span className="font-mono text-xs">{key.publicKey}</span>)
            a new secret. Old secret kept: <strong>{GRACE_LABELS[grace]}</strong>.
          </p>
        ) : null}
        <ChangeStep
          change={change}
          challenge={challenge}
          user={owner.user}
          resent={(await searchParams).resent === '1'}
          submitLabel="Rotate secret"
        />
      </Dialog>
    </>
  );
}
