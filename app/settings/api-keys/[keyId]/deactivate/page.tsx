import type { Metadata } from 'next';
import { DialogActions } from '@/components/dialog-actions';
import { Dialog } from '@/components/dialog';
import { ownerAccess } from '@/lib/web/auth';
import { KeysOverview } from '../../keys-overview';
import { OwnerOnly } from '../../owner-only';
import { ConfirmForm } from '../confirm-form';
import { pageKey } from '../key-route';
import { deactivateApiKey } from './actions';

export const metadata: Metadata = { title: 'Deactivate API key' };

export default async function DeactivateKeyPage({ params }: { params: Promise<{ keyId: string }> }) {
  const { keyId } = await params;
  const access = await ownerAccess(`/settings/api-keys/${keyId}/deactivate`);
  if (!access.ok) return <OwnerOnly user={access.user} />;
  const key = await pageKey(access.owner, keyId);
  return (
    <>
      <KeysOverview accountId={access.owner.accountId} />
      <Dialog title={`Deactivate “${key.name}”?`} closeHref="/settings/api-keys">
        {key.status !== 'active' ? (
          <>
            <p className="text-sm text-slate-700">This key is already inactive.</p>
            <DialogActions cancelHref="/settings/api-keys" cancelLabel="Close" />
          </>
        ) : (
          <>
            <p className="mb-4 text-sm text-slate-700">
              The key stops working at once: every request signed with it is refused and its WebSocket connections are closed. You can
              activate it again later with a code sent to your email.
            </p>
            <ConfirmForm action={deactivateApiKey} keyId={key.id} submitLabel="Deactivate" />
          </>
        )}
      </Dialog>
    </>
  );
}
