import { notFound } from 'next/navigation';
import { Dialog } from '@/components/dialog';
import { getDb } from '@/lib/platform/database';
import { loadAdminKey } from '@/lib/admin/key-detail';
import type { ActionState } from '@/lib/web/action-state';
import { requireAdmin, requireFreshAdmin } from '@/lib/web/auth';
import type { KeyState } from '@/lib/keys/state';
import { rowId } from '@/lib/admin/search-params';
import { ReasonForm } from './admin-key-forms';
import { AdminKeyDetail } from './key-detail';
import { StepRefusal } from '../../step-refusal';

/**
 * Who may open a suspend or revoke step, checked by the page itself before anything is loaded:
 * an admin (everyone else 404) whose session passed its second factor in the last 10 minutes —
 * else "confirm it's you" first, then back to this step (the action checks again).
 */
export async function requireFreshAdminForStep(keyIdParam: Promise<{ keyId: string }>, step: 'suspend' | 'revoke'): Promise<string> {
  await requireAdmin();
  const keyId = rowId.safeParse((await keyIdParam).keyId);
  if (!keyId.success) notFound();
  await requireFreshAdmin(`/admin/keys/${keyId.data}/${step}`);
  return keyId.data;
}

/**
 * The dialog of an admin step that needs a reason (suspend, revoke): the key's detail behind it,
 * or why the step does not apply to the key's current state.
 */
export async function ReasonStep(props: {
  keyId: string;
  verb: string;
  refusal: (state: KeyState) => string | null;
  explanation: React.ReactNode;
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  submitLabel: string;
  danger?: boolean;
}) {
  const key = await loadAdminKey(getDb(), props.keyId, new Date());
  if (!key) notFound();
  const back = `/admin/keys/${key.id}`;
  const refusal = props.refusal(key.state);
  return (
    <>
      <AdminKeyDetail keyId={key.id} />
      <Dialog title={`${props.verb} “${key.name}”`} closeHref={back}>
        {refusal ? (
          <StepRefusal message={refusal} closeHref={back} />
        ) : (
          <>
            <p className="mb-4 text-sm text-slate-700">{props.explanation}</p>
            <ReasonForm action={props.action} id={key.id} submitLabel={props.submitLabel} cancelHref={back} danger={props.danger} />
          </>
        )}
      </Dialog>
    </>
  );
}
