'use server';

import { redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { personHref } from '@/lib/admin/people-list';
import { liftSecondFactorLock } from '@/lib/identity/second-factor-lock';
import { adminAction } from '@/lib/web/form-action';
import { refusalState } from '@/lib/web/refusal-state';
import { requestContext } from '@/lib/web/request-context';

/**
 * Lift a person's second-factor lock (or pause): their wrong-code count starts again from zero.
 * Like suspend and revoke, it needs this admin session's second factor from the last 10 minutes.
 */
export const liftSecondFactorLockAction = adminAction(
  { ids: ['userId'], stepUpReturn: (ids) => personHref(ids.userId) },
  async (admin, { ids: { userId } }) => {
    const result = await liftSecondFactorLock(getDb(), admin, userId, await requestContext());
    if (!result.ok) return refusalState(result);
    redirect(personHref(userId, 'lifted'));
  },
);
