import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { ButtonLink } from '@/components/button-link';
import { Dialog } from '@/components/dialog';
import { DialogActions } from '@/components/dialog-actions';
import { getDb } from '@/lib/platform/database';
import { hasSecondFactor, limitMessage } from '@/lib/keys/rules';
import { keyLimitReached } from '@/lib/keys/store';
import { ownerAccess } from '@/lib/web/auth';
import { CLIENT_IP_HEADER } from '@/lib/platform/request-header';
import { KeysOverview } from '../keys-overview';
import { OwnerOnly } from '../owner-only';
import { NewKeyForm } from './new-key-form';

export const metadata: Metadata = { title: 'New API key' };

export default async function NewApiKeyPage() {
  const access = await ownerAccess('/settings/api-keys/new');
  if (!access.ok) return <OwnerOnly user={access.user} />;
  const { owner } = access;
  const hasTwoFactor = hasSecondFactor(owner.user);
  const atLimit = await keyLimitReached(getDb(), owner.accountId);
  const callerIp = (await headers()).get(CLIENT_IP_HEADER) || null;
  return (
    <>
      <KeysOverview accountId={owner.accountId} />
      {!hasTwoFactor ? (
        <Dialog title="Two-Factor Authentication" closeHref="/settings/api-keys">
          <p className="text-sm text-slate-700">
            To create an API key, turn on two-factor authentication first. Every new key is confirmed with a code from your authenticator
            app or by SMS.
          </p>
          <DialogActions cancelHref="/settings/api-keys">
            <ButtonLink href={`/settings/security?returnTo=${encodeURIComponent('/settings/api-keys/new')}`}>Enable 2FA</ButtonLink>
          </DialogActions>
        </Dialog>
      ) : atLimit ? (
        <Dialog title="New API key" closeHref="/settings/api-keys">
          <p className="text-sm text-slate-700">{limitMessage()}</p>
          <DialogActions cancelHref="/settings/api-keys" cancelLabel="Close" />
        </Dialog>
      ) : (
        <Dialog title="New API key" closeHref="/settings/api-keys" wide>
          <NewKeyForm callerIp={callerIp} />
        </Dialog>
      )}
    </>
  );
}
