import { ButtonLink } from '@/components/button-link';
import { CodeDelivery, SecondFactorPrompt } from '@/components/code-delivery';
import { CodeForm } from '@/components/code-form';
import { SubmitButton } from '@/components/submit-button';
import type { UserSummary } from '@/db/queries/users';
import type { Challenge } from '@/lib/second-factor/challenges';
import type { KeyChange } from '@/lib/keys/confirm-change';
import { maskDestination } from '@/lib/messaging/outbox';
import { chooseChangeMethodAction, confirmChangeAction, resendChangeCodeAction } from './change-actions';

/**
 * The second factor for an edit or a deletion: a method picker when the owner has both SMS and
 * an authenticator, else the code form (with Resend for SMS). Drawn by the server; no JS needed.
 */
export function ChangeStep({
  change,
  challenge,
  user,
  resent,
  submitLabel,
}: {
  change: KeyChange;
  challenge: Challenge | null;
  user: Pick<UserSummary, 'hasSms' | 'hasTotp' | 'phone'>;
  resent: boolean;
  submitLabel: string;
}) {
  const hidden = { keyId: change.apiKeyId, changeId: change.id };
  const restart = `/settings/api-keys/${change.apiKeyId}/${change.kind}`;
  if (change.status === 'void') {
    return (
      <div className="space-y-4">
        <p role="alert" className="text-sm text-red-800">
          This request has ended (too many incorrect codes, or it was replaced by a newer one). Nothing was changed.
        </p>
        <ButtonLink href={restart}>Start again</ButtonLink>
      </div>
    );
  }
  const both = user.hasSms && user.hasTotp;
  const hiddenInputs = Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
  if (!challenge) {
    return (
      <div className="space-y-3">
        <p className="text-sm text-slate-700">How do you want to confirm?</p>
        <form action={chooseChangeMethodAction} className="flex flex-wrap gap-3">
          {hiddenInputs}
          {user.hasTotp ? (
            <SubmitButton name="method" value="totp">
              Authenticator app
            </SubmitButton>
          ) : null}
          {user.hasSms ? (
            <SubmitButton name="method" value="sms" variant="secondary">
              SMS to {maskDestination(user.phone ?? '')}
            </SubmitButton>
          ) : null}
        </form>
      </div>
    );
  }
  return (
    <>
      <SecondFactorPrompt challenge={challenge} />
      <CodeForm
        action={confirmChangeAction}
        hidden={hidden}
        label={challenge.method === 'totp' ? 'Authenticator code' : 'SMS code'}
        submitLabel={submitLabel}
      />
      {challenge.method === 'sms' ? (
        <CodeDelivery delivery={challenge} resendAction={resendChangeCodeAction} hidden={hidden} resent={resent} />
      ) : null}
      {both ? (
        <form action={chooseChangeMethodAction} className="mt-4">
          {hiddenInputs}
          <input type="hidden" name="method" value={challenge.method === 'totp' ? 'sms' : 'totp'} />
          <SubmitButton variant="secondary">
            {challenge.method === 'totp' ? 'Use SMS instead' : 'Use authenticator app instead'}
          </SubmitButton>
        </form>
      ) : null}
    </>
  );
}
