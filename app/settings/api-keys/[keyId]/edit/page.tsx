import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { ButtonLink } from '@/components/button-link';
import { Dialog } from '@/components/dialog';
import { DialogActions } from '@/components/dialog-actions';
import { ownerAccess } from '@/lib/web/auth';
import { hasSecondFactor } from '@/lib/keys/rules';
import { expiryDateValue } from '@/lib/keys/expiry';
import { revokedMessage } from '@/lib/keys/change';
import { isPermission } from '@/lib/keys/permissions';
import { CLIENT_IP_HEADER } from '@/lib/platform/request-header';
import { KeysOverview } from '../../keys-overview';
import { OwnerOnly } from '../../owner-only';
import { pageKey } from '../key-route';
import { EditKeyForm } from './edit-key-form';

export const metadata: Metadata = { title: 'Edit API key' };

export default async function EditKeyPage({ params }: { params: Promise<{ keyId: string }> }) {
  const { keyId } = await params;
  const access = await ownerAccess(`/settings/api-keys/${keyId}/edit`);
  if (!access.ok) return <OwnerOnly user={access.user} />;
  const { owner } = access;
  const key = await pageKey(owner, keyId);
  const hasTwoFactor = hasSecondFactor(owner.user);
  const callerIp = (await headers()).get(CLIENT_IP_HEADER) || null;
  return (
    <>
      <KeysOverview accountId={owner.accountId} />
      {key.revokedAt ? (
        <Dialog title={`Edit “${key.name}”`} closeHref="/settings/api-keys">
          <p role="alert" className="text-sm text-red-800">
            {revokedMessage(key.revocationReason)}. A revoked key cannot be edited.
          </p>
          <DialogActions cancelHref="/settings/api-keys" cancelLabel="Close" />
        </Dialog>
      ) : !hasTwoFactor ? (
        <Dialog title="Two-Factor Authentication" closeHref="/settings/api-keys">
          <p className="text-sm text-slate-700">
            Changes to an API key are confirmed with a two-factor code. Turn on two-factor authentication first.
          </p>
          <DialogActions cancelHref="/settings/api-keys">
            <ButtonLink href={`/settings/security?returnTo=${encodeURIComponent(`/settings/api-keys/${key.id}/edit`)}`}>
              Enable 2FA
            </ButtonLink>
          </DialogActions>
        </Dialog>
      ) : (
        <Dialog title={`Edit “${key.name}”`} closeHref="/settings/api-keys" wide>
          <p className="mb-4 text-sm text-slate-700">
            The API key <span className="font-mono text-xs">{key.publicKey}</span> and its secret stay the same. Changes that widen access
            deactivate the key until you activate it again.
          </p>
          <EditKeyForm
            callerIp={callerIp}
            apiKey={{
              id: key.id,
              name: key.name,
              permissions: key.permissions.filter(isPermission),
              ipWhitelist: key.ipWhitelist,
              expiresOn: key.expiresAt ? expiryDateValue(key.expiresAt) : '',
            }}
          />
        </Dialog>
      )}
    </>
  );
}
