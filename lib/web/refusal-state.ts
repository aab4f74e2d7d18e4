import 'server-only';
import { notFound, redirect } from 'next/navigation';
import type { Refusal } from '@/lib/platform/results';
import type { ActionState } from './action-state';

/** Where a form about a key deleted meanwhile lands: the list, with a notice saying so. */
export const KEY_GONE_PATH = '/settings/api-keys?notice=gone';

/**
 * A refusal that leaves the page: an unknown id (or another account's) is a 404, so its
 * existence is not revealed; a key deleted meanwhile goes back to the list, which says so.
 */
export function leaveIfMissing(refusal: Refusal): void {
  if (refusal.reason === 'not_found') notFound();
  if (refusal.reason === 'gone') redirect(KEY_GONE_PATH);
}

/**
 * The one mapping from a domain refusal to what the form shows. On a code step (`field: 'code'`)
 * the message sits against the code field, except when the request has ended: then there is
 * nothing left to type into and it is the form's message.
 */
export function refusalState(refusal: Refusal, options: { field?: string; values?: Record<string, string | string[]> } = {}): ActionState {
  leaveIfMissing(refusal);
  const { message, fieldErrors } = refusal;
  if (options.field && message && refusal.reason !== 'ended') return { status: 'error', fieldErrors: { [options.field]: [message] } };
  return {
    status: 'error',
    ...(message !== undefined && { message }),
    ...(fieldErrors && { fieldErrors }),
    ...(options.values && { values: options.values }),
  };
}
