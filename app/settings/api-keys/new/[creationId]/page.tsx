import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { ButtonLink } from '@/components/button-link';
import { CodeDelivery, SecondFactorPrompt } from '@/components/code-delivery';
import { CodeForm } from '@/components/code-form';
import { Dialog } from '@/components/dialog';
import { SubmitButton } from '@/components/submit-button';
import { getDb } from '@/lib/platform/database';
import { ownerAccess } from '@/lib/web/auth';
import { uuidSchema } from '@/lib/web/form-schemas';
import { findCreation } from '@/lib/keys/create';
import { currentChallenge } from '@/lib/second-factor/challenges';
import { maskDestination } from '@/lib/messaging/outbox';
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
  return (
    <>
      <KeysOverview accountId={owner.accountId} />
      <Dialog title="Confirm new API key" closeHref="/settings/api-keys">
        <p className="mb-4 text-sm text-slate-700">
          Creating <strong>{creation.name}</strong>.
        </p>
        {creation.status === 'void' ? (
          <div className="space-y-4">
            <p role="alert" className="text-sm text-red-800">
              This request has ended (too many incorrect codes, or it was replaced). Start again.
            </p>
            <ButtonLink href="/settings/api-keys/new">Start again</ButtonLink>
          </div>
        ) : !challenge ? (
          <div className="space-y-3">
            <p className="text-sm text-slate-700">How do you want to confirm?</p>
            <form action={chooseMethod} className="flex gap-3">
              <input type="hidden" name="creationId" value={creationId} />
              <SubmitButton name="method" value="totp">
                Authenticator app
              </SubmitButton>
              <SubmitButton name="method" value="sms" variant="secondary">
                SMS to {maskDestination(owner.user.phone ?? '')}
              </SubmitButton>
            </form>
          </div>
        ) : (
          <>
            <SecondFactorPrompt challenge={challenge} />
            <CodeForm
              action={confirmCreation}
              hidden={hidden}
              label={challenge.method === 'totp' ? 'Authenticator code' : 'SMS code'}
              submitLabel="Confirm"
            />
            {challenge.method === 'sms' ? (
              <CodeDelivery delivery={challenge} resendAction={resendCode} hidden={hidden} resent={(await searchParams).resent === '1'} />
            ) : null}
            {both ? (
              <form action={chooseMethod} className="mt-4">
                <input type="hidden" name="creationId" value={creationId} />
                <input type="hidden" name="method" value={challenge.method === 'totp' ? 'sms' : 'totp'} />
                <SubmitButton variant="secondary">
                  {challenge.method === 'totp' ? 'Use SMS instead' : 'Use authenticator app instead'}
                </SubmitButton>
              </form>
            ) : null}
          </>
        )}
      </Dialog>
    </>
  );
}
