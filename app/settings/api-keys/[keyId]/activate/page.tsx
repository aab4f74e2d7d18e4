import type { Metadata } from 'next';
import { CodeDelivery, codeExpiry, CodeSentNotice } from '@/components/code-delivery';
import { CodeForm } from '@/components/code-form';
import { Dialog } from '@/components/dialog';
import { DialogActions } from '@/components/dialog-actions';
import { getDb } from '@/lib/platform/database';
import { ownerAccess } from '@/lib/web/auth';
import { currentChallenge } from '@/lib/second-factor/challenges';
import { activationRefusal } from '@/lib/keys/state';
import { maskDestination } from '@/lib/messaging/outbox';
import { KeysOverview } from '../../keys-overview';
import { OwnerOnly } from '../../owner-only';
import { pageKey } from '../key-route';
import { confirmActivation, resendActivation } from './actions';

export const metadata: Metadata = { title: 'Activate API key' };

export default async function ActivateKeyPage({
  params,
  searchParams,
}: {
  params: Promise<{ keyId: string }>;
  searchParams: Promise<{ resent?: string }>;
}) {
  const { keyId } = await params;
  const access = await ownerAccess(`/settings/api-keys/${keyId}/activate`);
  if (!access.ok) return <OwnerOnly user={access.user} />;
  const { owner } = access;
  const key = await pageKey(owner, keyId);
  const refusal = activationRefusal(key);
  const challenge =
    key.status === 'inactive' && !refusal
      ? await currentChallenge(getDb(), { userId: owner.user.id, purpose: 'key_activation', subjectId: key.id })
      : null;
  return (
    <>
      <KeysOverview accountId={owner.accountId} />
      <Dialog title={`Activate “${key.name}”`} closeHref="/settings/api-keys">
        {refusal || key.status === 'active' || !challenge ? (
          <>
            {refusal ? (
              <p role="alert" className="text-sm text-red-800">
                {refusal}
              </p>
            ) : (
              <p className="text-sm text-slate-700">
                {key.status === 'active'
                  ? 'This key is already active.'
                  : 'There is no activation code waiting. Press Activate in the list to get one.'}
              </p>
            )}
            <DialogActions cancelHref="/settings/api-keys" cancelLabel="Close" />
          </>
        ) : (
          <>
            <CodeSentNotice delivery={challenge}>
              We sent an activation code to {maskDestination(owner.user.email)}. Enter it to activate the key.
            </CodeSentNotice>
            <CodeForm
              action={confirmActivation}
              hidden={{ keyId: key.id }}
              label="Activation code"
              submitLabel="Activate"
              expiry={codeExpiry(challenge)}
              cancelHref="/settings/api-keys"
            />
            <CodeDelivery
              delivery={challenge}
              resent={(await searchParams).resent === '1'}
              resendAction={resendActivation}
              hidden={{ keyId: key.id }}
            />
          </>
        )}
      </Dialog>
    </>
  );
}
