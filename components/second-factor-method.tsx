import { DialogActions } from './dialog-actions';
import { SubmitButton } from './submit-button';
import { maskDestination } from '@/lib/messaging/outbox';

/** Hidden context for the action (ids, where to return); the action re-validates it. */
function Hidden({ fields }: { fields: Record<string, string> }) {
  return Object.entries(fields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
}

/**
 * For a person with both SMS and an authenticator, before a step's code: which one to use, as
 * the dialog's actions (Cancel, then the methods). The action gets `method`.
 */
export function MethodPicker({
  action,
  hidden,
  cancelHref,
  user,
}: {
  action: (form: FormData) => Promise<void>;
  hidden: Record<string, string>;
  cancelHref: string;
  user: { hasSms: boolean; hasTotp: boolean; phone: string | null };
}) {
  return (
    <form action={action}>
      <p className="text-sm text-slate-700">How do you want to confirm?</p>
      <Hidden fields={hidden} />
      <DialogActions cancelHref={cancelHref}>
        {user.hasSms ? (
          <SubmitButton name="method" value="sms" variant="secondary">
            Send a code by SMS to {maskDestination(user.phone ?? '')}
          </SubmitButton>
        ) : null}
        {user.hasTotp ? (
          <SubmitButton name="method" value="totp">
            Use my authenticator app
          </SubmitButton>
        ) : null}
      </DialogActions>
    </form>
  );
}

/** Under a code step, for a person with both methods: switch to the other one (the same words on every page). */
export function MethodSwitch({
  action,
  hidden = {},
  current,
}: {
  action: (form: FormData) => Promise<void>;
  hidden?: Record<string, string>;
  /** The method of the code asked for now. */
  current: string;
}) {
  const other = current === 'totp' ? 'sms' : 'totp';
  return (
    <form action={action} className="mt-4">
      <Hidden fields={hidden} />
      <input type="hidden" name="method" value={other} />
      <SubmitButton variant="secondary">{other === 'sms' ? 'Send a code by SMS instead' : 'Use my authenticator app instead'}</SubmitButton>
    </form>
  );
}
