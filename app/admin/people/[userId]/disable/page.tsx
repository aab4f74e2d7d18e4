import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Dialog } from '@/components/dialog';
import { getDb } from '@/lib/platform/database';
import { fetchAdminPeople } from '@/db/queries/admin-people';
import { disablePersonPath, personHref } from '@/lib/admin/people-list';
import { rowId } from '@/lib/admin/search-params';
import { requireAdmin, requireFreshAdmin } from '@/lib/web/auth';
import { ReasonForm } from '../../../keys/[keyId]/admin-key-forms';
import { disableUserAction } from '../../actions';
import { StepRefusal } from '../../../step-refusal';

export const metadata: Metadata = { title: 'Admin · Disable a person' };

/**
 * The disable step: an admin (everyone else 404) whose session passed its second factor in the
 * last 10 minutes — else "confirm it's you" first, then back here (the action checks again).
 */
export default async function DisablePersonPage({ params }: { params: Promise<{ userId: string }> }) {
  const admin = await requireAdmin();
  const userId = rowId.safeParse((await params).userId);
  if (!userId.success) notFound();
  await requireFreshAdmin(disablePersonPath(userId.data));
  const [person] = await fetchAdminPeople(getDb(), { userId: userId.data }, 1, new Date());
  if (!person) notFound();
  const back = personHref(person.id);
  const refusal =
    person.id === admin.id
      ? 'You cannot disable yourself: ask another administrator.'
      : person.disabledAt
        ? 'This person is already disabled.'
        : null;
  return (
    <section>
      <h1 className="text-2xl font-semibold">People</h1>
      <Dialog title={`Disable ${person.email}`} closeHref={back}>
        {refusal ? (
          <StepRefusal message={refusal} closeHref={back} />
        ) : (
          <>
            <div className="mb-4 space-y-2 text-sm text-slate-700">
              <p>
                {person.name} is signed out of every browser at once and cannot sign in until an administrator enables them again. They get
                an email with the reason.
              </p>
              <p>
                The API keys of {person.accountName ? `“${person.accountName}”` : 'their account'} keep their own state: active keys keep
                working. To stop a key, suspend it under Keys.
              </p>
            </div>
            <ReasonForm
              action={disableUserAction}
              id={person.id}
              idField="userId"
              hint="The person sees this reason in their email; it is shown in the admin lists and the audit log."
              submitLabel="Disable"
              cancelHref={back}
              danger
            />
          </>
        )}
      </Dialog>
    </section>
  );
}
