import { CodeDelivery, CodeSentNotice, codeExpiry, SecondFactorPrompt } from '@/components/code-delivery';
import { CodeForm } from '@/components/code-form';
import { DialogActions } from '@/components/dialog-actions';
import { MethodSwitch } from '@/components/second-factor-method';
import { SubmitButton } from '@/components/submit-button';
import type { UserSummary } from '@/db/queries/users';
import { getDb } from '@/lib/platform/database';
import { lockDownMethods, pendingLockDown } from '@/lib/keys/lock-down';
import { maskDestination } from '@/lib/messaging/outbox';
import { chooseLockDownMethodAction, confirmLockDownAction, resendLockDownAction } from './actions';

/**
 * The second-factor part of "deactivate all keys": an authenticator code at once; SMS or email
 * after "Text me a code" / "Email me a code". Plain forms, so it works without JavaScript.
 */
export async function LockDownStep({
  user,
  token,
  resent,
  cancelHref,
}: {
  user: UserSummary;
  token: string | null;
  resent: boolean;
  /** Where Cancel leaves to, next to the step's button. */
  cancelHref: string;
}) {
  const hidden: Record<string, string> = token ? { token } : {};
  const pending = await pendingLockDown(getDb(), user);
  const methods = lockDownMethods(user);
  // An authenticator needs nothing sent, so it is the default; SMS and email start with a button.
  const method = pending?.method ?? (methods.includes('totp') ? 'totp' : null);
  const confirm = (expiry?: ReturnType<typeof codeExpiry>) => (
    <CodeForm
      action={confirmLockDownAction}
      hidden={hidden}
      variant="danger"
      submitLabel={user.membership?.role === 'owner' ? 'Deactivate all keys' : 'Sign out other browsers'}
      expiry={expiry}
      cancelHref={cancelHref}
    />
  );
  return (
    <div>
      {method === 'totp' ? (
        <>
          <p className="mb-4 text-sm text-slate-700">Enter the 6-digit code from your authenticator app.</p>
          {confirm()}
        </>
      ) : pending && method === 'sms' ? (
        <>
          <SecondFactorPrompt challenge={pending} />
          {confirm(codeExpiry(pending))}
          <CodeDelivery delivery={pending} resendAction={resendLockDownAction} resent={resent} hidden={hidden} />
        </>
      ) : pending && method === 'email' ? (
        <>
          <CodeSentNotice delivery={pending}>We sent a 6-digit code by email to {user.email}.</CodeSentNotice>
          {confirm(codeExpiry(pending))}
          <CodeDelivery delivery={pending} resendAction={resendLockDownAction} resent={resent} hidden={hidden} />
        </>
      ) : (
        <form action={chooseLockDownMethodAction}>
          {token ? <input type="hidden" name="token" value={token} /> : null}
          <input type="hidden" name="method" value={methods[0] === 'sms' ? 'sms' : 'email'} />
          <p className="mb-4 text-sm text-slate-700">
            {methods[0] === 'sms'
              ? `We will send a 6-digit code by SMS to ${maskDestination(user.phone ?? '')}.`
              : `You have no second factor, so we will send a 6-digit code by email to ${user.email}.`}
          </p>
          <DialogActions cancelHref={cancelHref}>
            <SubmitButton>{methods[0] === 'sms' ? 'Text me a code' : 'Email me a code'}</SubmitButton>
          </DialogActions>
        </form>
      )}
      {method && user.hasSms && user.hasTotp ? <MethodSwitch action={chooseLockDownMethodAction} hidden={hidden} current={method} /> : null}
    </div>
  );
}

/** What the step does, said before the code is asked for. */
export function LockDownExplainer({ owner }: { owner: boolean }) {
  return (
    <ul className="mb-4 list-disc space-y-1 pl-5 text-sm text-slate-700">
      {owner ? <li>Every active API key of your account stops working at once (you can activate each again later).</li> : null}
      <li>Every other browser signed in to your account is signed out. This one stays signed in.</li>
      <li>You get a security email listing what was done.</li>
    </ul>
  );
}
