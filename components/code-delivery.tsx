import { Countdown, ShowAfter } from './countdown';
import { SubmitButton } from './submit-button';
import { RESEND_AFTER_MS } from '@/lib/second-factor/codes';

/**
 * Under an SMS or email code field: when the code expires, and a Resend button that appears two
 * minutes after the last send (the server refuses earlier resends too).
 */
export function CodeDelivery({
  sentAt,
  expiresAt,
  resendAction,
  resent,
  hidden = {},
}: {
  sentAt: Date | null;
  expiresAt: Date | null;
  resendAction: (form: FormData) => Promise<void>;
  resent?: boolean;
  hidden?: Record<string, string>;
}) {
  if (!sentAt || !expiresAt) return null;
  const resendAt = new Date(sentAt.getTime() + RESEND_AFTER_MS).toISOString();
  return (
    <div className="mt-4 space-y-2 text-sm text-slate-700">
      {resent ? <p role="status">A new code is on its way.</p> : null}
      <p>
        <Countdown until={expiresAt.toISOString()} running="The code expires" done="The code has expired — request a new one." />
      </p>
      <form action={resendAction}>
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <ShowAfter at={resendAt} waiting="You can ask for a new code">
          <SubmitButton variant="secondary">Resend</SubmitButton>
        </ShowAfter>
      </form>
    </div>
  );
}
