import type { Metadata } from 'next';
import { ButtonLink } from '@/components/button-link';
import { Dialog } from '@/components/dialog';
import { DialogActions } from '@/components/dialog-actions';
import { ownerAccess } from '@/lib/web/auth';
import { hasSecondFactor } from '@/lib/keys/rules';
import { revokedMessage } from '@/lib/keys/change';
import { KeysOverview } from '../../keys-overview';
import { OwnerOnly } from '../../owner-only';
import { pageKey } from '../key-route';
import { RotateForm } from './rotate-form';

export const metadata: Metadata = { title: 'Rotate API secret' };

export default async function RotateSecretPage({ params }: { params: Promise<{ keyId: string }> }) {
  const { keyId } = await params;
  const access = await ownerAccess(`/settings/api-keys/${keyId}/rotate`);
  if (!access.ok) return <OwnerOnly user={access.user} />;
  const { owner } = access;
  const key = await pageKey(owner, keyId);
  const back = `/settings/api-keys/${key.id}`;
  return (
    <>
      <KeysOverview accountId={owner.accountId} />
      <Dialog title={`Rotate the secret of “${key.name}”`} closeHref={back}>
        <p className="mb-4 text-sm text-slate-700">
          A new API secret is made and shown once. The API key <span className="font-mono text-xs">{key.publicKey}</span>, its name,
          permissions, IP whitelist and status stay as they are.
        </p>
        {key.revokedAt ? (
          <>
            <p role="alert" className="text-sm text-red-800">
              {revokedMessage(key.revocationReason)}. A revoked key cannot be rotated.
            </p>
            <DialogActions cancelHref={back} cancelLabel="Close" />
          </>
        ) : hasSecondFactor(owner.user) ? (
          <>
            <p className="mb-4 text-sm text-slate-700">You will confirm with a two-factor authentication code.</p>
            <RotateForm keyId={key.id} cancelHref={back} />
          </>
        ) : (
          <>
            <p role="alert" className="text-sm text-red-800">
              Turn on two-factor authentication before rotating the secret of an API key.
            </p>
            <DialogActions cancelHref={back}>
              <ButtonLink href={`/settings/security?returnTo=${encodeURIComponent(`/settings/api-keys/${key.id}/rotate`)}`}>
                Enable 2FA
              </ButtonLink>
            </DialogActions>
          </>
        )}
      </Dialog>
    </>
  );
}
