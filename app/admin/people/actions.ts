'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '@/lib/platform/database';
import { disablePersonPath, personHref } from '@/lib/admin/people-list';
import { disableUser, enableUser } from '@/lib/identity/disable-user';
import { liftSecondFactorLock } from '@/lib/identity/second-factor-lock';
import { reasonSchema } from '@/lib/keys/admin';
import { adminAction, text } from '@/lib/web/form-action';
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

/** Disable a person, with the reason (the same rules as a key suspension's): sign-in refused, every session ended. */
export const disableUserAction = adminAction(
  {
    ids: ['userId'],
    fields: {
      schema: z.object({ reason: reasonSchema }),
      read: (form: FormData) => ({ reason: form.get('reason') ?? undefined }),
      echo: (form: FormData) => ({ reason: text(form, 'reason') }),
    },
    stepUpReturn: (ids) => disablePersonPath(ids.userId),
  },
  async (admin, { ids: { userId }, data: { reason }, values }) => {
    const result = await disableUser(getDb(), admin, userId, reason, await requestContext());
    if (!result.ok) return refusalState(result, { values });
    redirect(personHref(userId, 'disabled'));
  },
);

/** Enable a disabled person again: they can sign in afresh. */
export const enableUserAction = adminAction(
  { ids: ['userId'], stepUpReturn: (ids) => personHref(ids.userId) },
  async (admin, { ids: { userId } }) => {
    const result = await enableUser(getDb(), admin, userId, await requestContext());
    if (!result.ok) return refusalState(result);
    redirect(personHref(userId, 'enabled'));
  },
);
