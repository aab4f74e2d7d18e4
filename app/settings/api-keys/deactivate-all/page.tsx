import type { Metadata } from 'next';
import { Dialog } from '@/components/dialog';
import { DialogActions } from '@/components/dialog-actions';
import { getDb } from '@/lib/platform/database';
import { DEACTIVATE_ALL_PATH, hasActiveKeys } from '@/lib/keys/lock-down';
import { ownerAccess } from '@/lib/web/auth';
import { LockDownExplainer, LockDownStep } from '../../lock-down/lock-down-step';
import { KeysOverview } from '../keys-overview';
import { OwnerOnly } from '../owner-only';

export const metadata: Metadata = { title: 'Deactivate all keys' };

/** The **Deactivate all keys** button's step: the same one as the "This wasn't me" link's. */
export default async function DeactivateAllPage({ searchParams }: { searchParams: Promise<{ resent?: string }> }) {
  const access = await ownerAccess(DEACTIVATE_ALL_PATH);
  if (!access.ok) return <OwnerOnly user={access.user} />;
  const { owner } = access;
  const anyActive = await hasActiveKeys(getDb(), owner.accountId);
  return (
    <>
      <KeysOverview accountId={owner.accountId} />
      <Dialog title="Deactivate all keys?" closeHref="/settings/api-keys">
        {anyActive ? (
          <>
            <LockDownExplainer owner />
            <LockDownStep user={owner.user} token={null} resent={(await searchParams).resent === '1'} cancelHref="/settings/api-keys" />
          </>
        ) : (
          <>
            <p className="text-sm text-slate-700">No key of {owner.accountName} is active: there is nothing to deactivate.</p>
            <DialogActions cancelHref="/settings/api-keys" cancelLabel="Close" />
          </>
        )}
      </Dialog>
    </>
  );
}
