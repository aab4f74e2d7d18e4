import type { Metadata } from 'next';
import { Dialog } from '@/components/dialog';
import { ownerAccess } from '@/lib/web/auth';
import { diffKey, NARROW_NOTICE, widenNotice } from '@/lib/keys/diff';
import { isPermission } from '@/lib/keys/permissions';
import { KeysOverview } from '../../../keys-overview';
import { OwnerOnly } from '../../../owner-only';
import { loadChangePage } from '../../change-page';
import { ChangeStep } from '../../change-step';

export const metadata: Metadata = { title: 'Confirm changes' };

export default async function ConfirmEditPage({
  params,
  searchParams,
}: {
  params: Promise<{ keyId: string; changeId: string }>;
  searchParams: Promise<{ resent?: string }>;
}) {
  const { keyId, changeId } = await params;
  const access = await ownerAccess(`/settings/api-keys/${keyId}/edit/${changeId}`);
  if (!access.ok) return <OwnerOnly user={access.user} />;
  const { owner } = access;
  const { key, change, challenge } = await loadChangePage(owner, keyId, changeId, 'edit');
  const saved = change.changes;
  // Described against the key as it is now: the same comparison the confirmation makes.
  const diff = saved
    ? diffKey(
        { name: key.name, permissions: key.permissions.filter(isPermission), ipWhitelist: key.ipWhitelist, expiresAt: key.expiresAt },
        {
          name: saved.name,
          permissions: saved.permissions.filter(isPermission),
          ipWhitelist: saved.ipWhitelist,
          expiresAt: saved.expiresAt ? new Date(saved.expiresAt) : null,
        },
      )
    : null;
  return (
    <>
      <KeysOverview accountId={owner.accountId} />
      <Dialog title={`Confirm changes to “${key.name}”`} closeHref="/settings/api-keys">
        {diff && change.status === 'pending_confirmation' ? (
          <div className="mb-4 space-y-3 text-sm">
            <ul className="list-disc space-y-1 pl-5 text-slate-800">
              {diff.summary.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            {diff.widens.length ? (
              <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">{widenNotice(diff.widens)}</p>
            ) : (
              <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-emerald-900">{NARROW_NOTICE}</p>
            )}
          </div>
        ) : null}
        <ChangeStep
          change={change}
          challenge={challenge}
          user={owner.user}
          resent={(await searchParams).resent === '1'}
          submitLabel="Confirm changes"
        />
      </Dialog>
    </>
  );
}
