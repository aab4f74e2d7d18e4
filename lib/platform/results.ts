/**
 * Every expected "no" of the key lifecycle, the second-factor steps and the settings, as one
 * union. The reason says what kind of "no" it is, so each caller decides once what to do with it
 * (lib/web/refusal-state.ts for the forms); the message is what the person reads, word for word.
 *
 *   not_found  no such row for this caller — another account's id looks exactly like a wrong one
 *   gone       the key was in this account but has been deleted since the page was shown
 *   refused    something outside this request stands in the way: an administrator (suspended,
 *              revoked), the clock (expired, too soon to resend), or the account (no 2FA, no such method)
 *   conflict   the row's current state does not allow this step (already active, nothing pending,
 *              a name already taken, the key limit reached)
 *   invalid    what was submitted is wrong (field errors, a wrong or expired code)
 *   exhausted  too many incorrect codes: this code step is over, a new code can be asked for
 *   ended      the pending request itself is over (void): it has to be started again
 */
export type RefusalReason = 'not_found' | 'gone' | 'refused' | 'conflict' | 'invalid' | 'exhausted' | 'ended';

export type FieldErrors = Record<string, string[]>;

export interface Refusal {
  ok: false;
  reason: RefusalReason;
  message?: string;
  fieldErrors?: FieldErrors;
}

/** `{ ok: true }` plus what the step hands back, or a refusal. */
export type Result<T extends object = Record<never, never>> = ({ ok: true } & T) | Refusal;

/** A refusal with a message (omitted when there is none: a 404 says nothing). */
export function refuse(reason: RefusalReason, message?: string): Refusal {
  return message === undefined ? { ok: false, reason } : { ok: false, reason, message };
}

/** A refusal about particular fields of the form, e.g. `{ name: ['… already exists'] }`. */
export function refuseFields(reason: RefusalReason, fieldErrors: FieldErrors): Refusal {
  return { ok: false, reason, fieldErrors };
}

export const notFound = (): Refusal => refuse('not_found');
