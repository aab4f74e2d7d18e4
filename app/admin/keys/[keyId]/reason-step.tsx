import { notFound } from 'next/navigation';
import { ButtonLink } from '@/components/button-link';
import { Dialog } from '@/components/dialog';
import { getDb } from '@/lib/platform/database';
import { loadAdminKey } from '@/lib/admin/key-detail';
import type { ActionState } from '@/lib/web/action-state';
import { requireAdmin } from '@/lib/web/auth';
import type { KeyState } from '@/lib/keys/state';
import { rowId } from '@/lib/admin/search-params';
import { ReasonForm } from './admin-key-forms';
import { AdminKeyDetail } from './key-detail';

/**
 * The dialog of an admin step that needs a reason (suspend, revoke): the key's detail behind it,
 * or why the step does not apply to the key's current state.
 */
export async function ReasonStep(props: {
  keyIdParam: Promise<{ keyId: string }>;
  verb: string;
  refusal: (state: KeyState) => string | null;
  explanation: React.ReactNode;
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  submitLabel: string;
  danger?: boolean;
}) {
  await requireAdmin();
  const keyId = rowId.safeParse((await props.keyIdParam).keyId);
  if (!keyId.success) notFound();
  const key = await loadAdminKey(getDb(), keyId.data, new Date());
  if (!key) notFound();
  const back = `/admin/keys/${key.id}`;
  const refusal = props.refusal(key.state);
  return (
    <>
      <AdminKeyDetail keyId={key.id} />
      <Dialog title={`${props.verb} “${key.name}”`} closeHref={back}>
        {refusal ? (
          <>
            <p className="text-sm text-slate-700">{refusal}</p>
            <div className="mt-6 flex justify-end">
              <ButtonLink href={back} variant="secondary">
                Close
              </ButtonLink>
            </div>
          </>
        ) : (
          <>
            <p className="mb-4 text-sm text-slate-700">{props.explanation}</p>
            <ReasonForm action={props.action} keyId={key.id} submitLabel={props.submitLabel} cancelHref={back} danger={props.danger} />
          </>
        )}
      </Dialog>
    </>
  );
}
