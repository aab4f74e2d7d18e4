import { ShowAfter } from './countdown';
import type { CodeExpiry } from './code-form';
import { SubmitButton } from './submit-button';
import { resendAvailableAt, type CodeState } from '@/lib/second-factor/codes';
import { maskDestination } from '@/lib/messaging/outbox';
import { formatUtcTime } from '@/lib/second-factor/throttle';

/** What a page knows of an SMS or email code: its challenge row, or the part of it shown here. */
export type Delivery = CodeState & {
  sendHeldBack: 'hourly_cap' | 'wrong_codes' | 'locked' | null;
  sendBlockedUntil: Date | null;
};

const HELD_BACK: Record<NonNullable<Delivery['sendHeldBack']>, string> = {
  hourly_cap: 'you have reached the limit of codes we send in an hour',
  wrong_codes: 'there have been too many incorrect codes recently',
  locked: 'two-factor authentication on this account is locked after too many incorrect codes. Contact support to unlock it',
};

/**
 * The first line of a code step: where the code went — or, plainly, that none was sent, why, and
 * when one can be (a cap or a wait held it back).
 */
export function CodeSentNotice({ delivery, children }: { delivery: Delivery; children: React.ReactNode }) {
  if (!delivery.sendHeldBack) return <p className="mb-4 text-sm text-slate-700">{children}</p>;
  const earlier = delivery.codeHash !== null && delivery.expiresAt !== null && delivery.expiresAt > new Date();
  const when =
    delivery.sendHeldBack !== 'locked' && delivery.sendBlockedUntil
      ? ` You can ask for a new one at ${formatUtcTime(delivery.sendBlockedUntil)}.`
      : '';
  return (
    <p role="alert" className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
      <strong>No new code was sent</strong>: {HELD_BACK[delivery.sendHeldBack]}.{when}
      {earlier ? ' The code we sent earlier still works until it expires.' : ''}
    </p>
  );
}

/**
 * When the code sent expires, for the code field to show under itself (CodeForm): there, once the
 * code has expired, one line says so — or the field's own error, never both.
 */
export function codeExpiry(delivery: Delivery): CodeExpiry | undefined {
  if (delivery.codeHash === null || !delivery.expiresAt) return undefined;
  return { until: delivery.expiresAt.toISOString(), renderedAt: new Date().toISOString() };
}

/**
 * Under an SMS or email code step: a Resend button that appears two minutes after the last send,
 * or once a held-back send may go out (the server refuses earlier resends too). The server
 * decides with its own clock, so without JavaScript a reload shows the button as soon as it is
 * due. (When the code expires is said by the code field itself: `codeExpiry`.)
 */
export function CodeDelivery({
  delivery,
  resendAction,
  resent,
  hidden = {},
}: {
  delivery: Delivery;
  resendAction: (form: FormData) => Promise<void>;
  resent?: boolean;
  hidden?: Record<string, string>;
}) {
  const renderedAt = new Date().toISOString();
  const resendAt = resendAvailableAt(delivery)?.toISOString() ?? renderedAt;
  const locked = delivery.sendHeldBack === 'locked';
  return (
    <div className="mt-4 space-y-2 text-sm text-slate-700">
      {resent && !delivery.sendHeldBack ? <p role="status">A new code is on its way.</p> : null}
      {locked ? null : (
        <form action={resendAction}>
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <ShowAfter at={resendAt} renderedAt={renderedAt} waiting="You can ask for a new code">
            <SubmitButton variant="secondary">Resend</SubmitButton>
          </ShowAfter>
        </form>
      )}
    </div>
  );
}

/** The first line of a step confirmed by authenticator or SMS, whichever the challenge uses. */
export function SecondFactorPrompt({ challenge }: { challenge: Delivery & { method: string; destination: string | null } }) {
  if (challenge.method === 'totp')
    return <p className="mb-4 text-sm text-slate-700">Enter the 6-digit code from your authenticator app.</p>;
  return (
    <CodeSentNotice delivery={challenge}>We sent a 6-digit code by SMS to {maskDestination(challenge.destination ?? '')}.</CodeSentNotice>
  );
}
