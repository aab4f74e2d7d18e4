import { ButtonLink } from '@/components/button-link';
import { CodeDelivery, codeExpiry, SecondFactorPrompt } from '@/components/code-delivery';
import { CodeForm } from '@/components/code-form';
import { DialogActions } from '@/components/dialog-actions';
import { MethodPicker, MethodSwitch } from '@/components/second-factor-method';
import type { UserSummary } from '@/db/queries/users';
import type { Challenge } from '@/lib/second-factor/challenges';
import type { KeyChange } from '@/lib/keys/confirm-change';
import { chooseChangeMethodAction, confirmChangeAction, resendChangeCodeAction } from './change-actions';

/**
 * The second factor for an edit or a deletion: a method picker when the owner has both SMS and
 * an authenticator, else the code form (with Resend for SMS). Every state ends with the dialog's
 * Cancel; a deletion's submit is red, like the step that asked for it. Drawn by the server; no JS needed.
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
  const list = '/settings/api-keys';
  if (change.status === 'void') {
    return (
      <>
        <p role="alert" className="text-sm text-red-800">
          This request has ended (too many incorrect codes, or it was replaced by a newer one). Nothing was changed.
        </p>
        <DialogActions cancelHref={list}>
          <ButtonLink href={restart}>Start again</ButtonLink>
        </DialogActions>
      </>
    );
  }
  const both = user.hasSms && user.hasTotp;
  if (!challenge) {
    return <MethodPicker action={chooseChangeMethodAction} hidden={hidden} cancelHref={list} user={user} />;
  }
  return (
    <>
      <SecondFactorPrompt challenge={challenge} />
      <CodeForm
        action={confirmChangeAction}
        hidden={hidden}
        label={challenge.method === 'totp' ? 'Authenticator code' : 'SMS code'}
        submitLabel={submitLabel}
        variant={change.kind === 'delete' ? 'danger' : 'primary'}
        expiry={codeExpiry(challenge)}
        cancelHref={list}
      />
      {challenge.method === 'sms' ? (
        <CodeDelivery delivery={challenge} resendAction={resendChangeCodeAction} hidden={hidden} resent={resent} />
      ) : null}
      {both ? <MethodSwitch action={chooseChangeMethodAction} hidden={hidden} current={challenge.method} /> : null}
    </>
  );
}
