import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ButtonLink } from '@/components/button-link';
import { Dialog } from '@/components/dialog';
import { getDb } from '@/db/client';
import { findAdminKey } from '@/db/queries/admin-key-detail';
import { requireAdmin } from '@/lib/auth';
import { rowId } from '@/lib/search-params';
import { suspendKeyAction } from '../actions';
import { ReasonForm } from '../admin-key-forms';
import { AdminKeyDetail } from '../key-detail';

export const metadata: Metadata = { title: 'Admin · Suspend API key' };

export default async function SuspendKeyPage({ params }: { params: Promise<{ keyId: string }> }) {
  await requireAdmin();
  const keyId = rowId.safeParse((await params).keyId);
  if (!keyId.success) notFound();
  const key = await findAdminKey(getDb(), keyId.data, new Date());
  if (!key) notFound();
  const back = `/admin/keys/${key.id}`;
  const refusal = key.state === 'revoked' ? 'This key has been revoked; there is nothing to suspend.' : key.state === 'suspended' ? 'This key is already suspended.' : null;
  return (
    <>
      <AdminKeyDetail keyId={key.id} />
      <Dialog title={`Suspend “${key.name}”`} closeHref={back}>
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
            <p className="mb-4 text-sm text-slate-700">
              The key stops working at once. Its owner sees “Suspended by an administrator: <em>reason</em>” and cannot activate it until the suspension is lifted.
            </p>
            <ReasonForm action={suspendKeyAction} keyId={key.id} submitLabel="Suspend key" cancelHref={back} />
          </>
        )}
      </Dialog>
    </>
  );
}
