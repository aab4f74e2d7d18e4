import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { ButtonLink } from '@/components/button-link';
import { CodeDelivery, codeExpiry, SecondFactorPrompt } from '@/components/code-delivery';
import { CodeForm } from '@/components/code-form';
import { Dialog } from '@/components/dialog';
import { DialogActions } from '@/components/dialog-actions';
import { AnyAddressWithdrawal, PermissionNames } from '@/components/key-access';
import { MethodPicker, MethodSwitch } from '@/components/second-factor-method';
import { getDb } from '@/lib/platform/database';
import { ownerAccess } from '@/lib/web/auth';
import { uuidSchema } from '@/lib/web/form-schemas';
import { expiryText } from '@/lib/keys/expiry';
import { findCreation } from '@/lib/keys/create';
import { currentChallenge } from '@/lib/second-factor/challenges';
import { KeysOverview } from '../../keys-overview';
import { OwnerOnly } from '../../owner-only';
import { chooseMethod, confirmCreation, resendCode } from './actions';

export const metadata: Metadata = { title: 'Confirm new API key' };

export default async function ConfirmCreationPage({
  params,
  searchParams,
}: {
  params: Promise<{ creationId: string }>;
  searchParams: Promise<{ resent?: string }>;
}) {
  const { creationId } = await params;
  const access = await ownerAccess(`/settings/api-keys/new/${creationId}`);
  if (!access.ok) return <OwnerOnly user={access.user} />;
  if (!uuidSchema.safeParse(creationId).success) notFound();
  const { owner } = access;
  const creation = await findCreation(getDb(), owner, creationId);
  if (!creation) notFound();
  if (creation.status === 'created') redirect(`/settings/api-keys/new/${creationId}/secret`);
  const challenge =
    creation.status === 'pending_confirmation'
      ? await currentChallenge(getDb(), { userId: owner.user.id, purpose: 'key_creation', subjectId: creationId })
      : null;
  const both = owner.user.hasSms && owner.user.hasTotp;
  const hidden = { creationId };
  const list = '/settings/api-keys';
  return (
    <>
      <KeysOverview accountId={owner.accountId} />
      <Dialog title="Confirm new API key" closeHref={list}>
        <p className="mb-4 text-sm text-slate-700">
          Creating <strong>{creation.name}</strong> with <PermissionNames permissions={creation.permissions} />, usable from{' '}
          {creation.ipWhitelist.length ? creation.ipWhitelist.join(', ') : 'any address'}.{' '}
          {creation.expiresAt ? `${expiryText(creation.expiresAt)}.` : 'No expiry.'}
        </p>
        {creation.status === 'pending_confirmation' ? (
          <div className="mb-4">
            <AnyAddressWithdrawal permissions={creation.permissions} ipWhitelist={creation.ipWhitelist} />
          </div>
        ) : null}
        {creation.status === 'void' ? (
          <>
            <p role="alert" className="text-sm text-red-800">
              This request has ended (too many incorrect codes, or it was replaced). Start again.
            </p>
            <DialogActions cancelHref={list}>
              <ButtonLink href="/settings/api-keys/new">Start again</ButtonLink>
            </DialogActions>
          </>
        ) : !challenge ? (
          <MethodPicker action={chooseMethod} hidden={hidden} cancelHref={list} user={owner.user} />
        ) : (
          <>
            <SecondFactorPrompt challenge={challenge} />
            <CodeForm
              action={confirmCreation}
              hidden={hidden}
              label={challenge.method === 'totp' ? 'Authenticator code' : 'SMS code'}
              submitLabel="Confirm"
              expiry={codeExpiry(challenge)}
              cancelHref={list}
            />
            {challenge.method === 'sms' ? (
              <CodeDelivery delivery={challenge} resendAction={resendCode} hidden={hidden} resent={(await searchParams).resent === '1'} />
            ) : null}
            {both ? <MethodSwitch action={chooseMethod} hidden={hidden} current={challenge.method} /> : null}
          </>
        )}
      </Dialog>
    </>
  );
}
