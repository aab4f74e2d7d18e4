import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ButtonLink } from '@/components/button-link';
import { Dialog } from '@/components/dialog';
import { getDb } from '@/db/client';
import { findAdminKey } from '@/db/queries/admin-key-detail';
import { requireAdmin } from '@/lib/auth';
import { rowId } from '@/lib/search-params';
import { revokeKeyAction } from '../actions';
import { ReasonForm } from '../admin-key-forms';
import { AdminKeyDetail } from '../key-detail';

export const metadata: Metadata = { title: 'Admin · Revoke API key' };

export default async function RevokeKeyPage({ params }: { params: Promise<{ keyId: string }> }) {
  await requireAdmin();
  const keyId = rowId.safeParse((await params).keyId);
  if (!keyId.success) notFound();
  const key = await findAdminKey(getDb(), keyId.data, new Date());
  if (!key) notFound();
  const back = `/admin/keys/${key.id}`;
  return (
    <>
      <AdminKeyDetail keyId={key.id} />
      <Dialog title={`Revoke “${key.name}”`} closeHref={back}>
        {key.state === 'revoked' ? (
          <>
            <p className="text-sm text-slate-700">This key has already been revoked.</p>
            <div className="mt-6 flex justify-end">
              <ButtonLink href={back} variant="secondary">
                Close
              </ButtonLink>
            </div>
          </>
        ) : (
          <>
            <p className="mb-4 text-sm text-slate-700">
              Revoking is <strong>permanent</strong>: the key stops working at once and can never be activated or used again. It stays listed as Revoked, and its owner sees
              the reason.
            </p>
            <ReasonForm action={revokeKeyAction} keyId={key.id} submitLabel="Revoke permanently" cancelHref={back} danger />
          </>
        )}
      </Dialog>
    </>
  );
}
