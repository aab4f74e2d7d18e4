import type { Metadata } from 'next';
import { ButtonLink } from '@/components/button-link';
import { Dialog } from '@/components/dialog';
import { DialogActions } from '@/components/dialog-actions';
import { ownerAccess } from '@/lib/web/auth';
import { hasSecondFactor } from '@/lib/keys/rules';
import { KeysOverview } from '../../keys-overview';
import { OwnerOnly } from '../../owner-only';
import { ConfirmForm } from '../confirm-form';
import { pageKey } from '../key-route';
import { requestDeletion } from './actions';

export const metadata: Metadata = { title: 'Delete API key' };

export default async function DeleteKeyPage({ params }: { params: Promise<{ keyId: string }> }) {
  const { keyId } = await params;
  const access = await ownerAccess(`/settings/api-keys/${keyId}/delete`);
  if (!access.ok) return <OwnerOnly user={access.user} />;
  const { owner } = access;
  const key = await pageKey(owner, keyId);
  const hasTwoFactor = hasSecondFactor(owner.user);
  return (
    <>
      <KeysOverview accountId={owner.accountId} />
      <Dialog title={`Delete “${key.name}”?`} closeHref="/settings/api-keys">
        <p className="text-sm text-slate-700">
          Deleting is permanent: the key <span className="font-mono text-xs">{key.publicKey}</span> stops working at once and cannot be
          restored. Applications using it will need a new key.
        </p>
        {hasTwoFactor ? (
          <>
            <p className="mt-2 mb-4 text-sm text-slate-700">You will confirm with a two-factor authentication code.</p>
            <ConfirmForm action={requestDeletion} keyId={key.id} submitLabel="Delete API key" />
          </>
        ) : (
          <>
            <p role="alert" className="mt-4 text-sm text-red-800">
              Turn on two-factor authentication before deleting an API key.
            </p>
            <DialogActions cancelHref="/settings/api-keys">
              <ButtonLink href={`/settings/security?returnTo=${encodeURIComponent(`/settings/api-keys/${key.id}/delete`)}`}>
                Enable 2FA
              </ButtonLink>
            </DialogActions>
          </>
        )}
      </Dialog>
    </>
  );
}
