import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ButtonLink } from '@/components/button-link';
import { StatusBadge } from '@/components/status-badge';
import { FormNotice } from '@/components/field';
import { getDb } from '@/lib/platform/database';
import { pipelinedReads } from '@/db/client';
import { findKeyUsage } from '@/db/queries/key-usage';
import { unusedMoneyPermissions } from '@/lib/api/unused-permissions';
import { fetchAuditEvents } from '@/db/queries/admin-audit';
import { loadAdminKey } from '@/lib/admin/key-detail';
import { findPreviousSecretEnd } from '@/db/queries/key-rotation';
import { previousSecretInForce } from '@/lib/keys/grace';
import { ACCOUNT_TYPE_LABELS } from '@/lib/admin/key-list';
import { permissionNames } from '@/lib/keys/permissions';
import { AuditTable } from '../../audit/audit-table';
import { minute } from '../../format';
import { liftSuspensionAction } from './actions';
import { LiftSuspensionForm } from './admin-key-forms';
import { AdminKeyUsage } from './key-usage';
import { ownEntry } from '@/lib/platform/own-entry';

const HISTORY_LIMIT = 200;

const NOTICES: Record<string, string> = {
  suspended: 'The key is suspended. It stopped working at once.',
  lifted: 'The suspension is lifted. The key is back in the state its owner left it in.',
  revoked: 'The key is revoked. It will never work again.',
};

function Item({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-4 px-4 py-2.5">
      <dt className="text-sm font-medium text-slate-600">{term}</dt>
      <dd className="col-span-2 text-sm break-words text-slate-900">{children}</dd>
    </div>
  );
}

/** One key for an admin: what its owner sees, its account and owner, admin actions and full history. */
export async function AdminKeyDetail({ keyId, notice }: { keyId: string; notice?: string }) {
  const db = getDb();
  const now = new Date();
  const key = await loadAdminKey(db, keyId, now);
  if (!key) notFound();
  // The rest of the page hangs on the key's account: one round trip for all of it.
  const [history, previousEnds, usage, unused] = await pipelinedReads(db, (reads) =>
    Promise.all([
      fetchAuditEvents(reads, { keyId }, { direction: 'after' }, HISTORY_LIMIT + 1),
      findPreviousSecretEnd(reads, key.accountId, key.id),
      findKeyUsage(reads, key.accountId, key.id, now),
      unusedMoneyPermissions(reads, key.accountId, key.id, now),
    ]),
  );
  return (
    <section>
      <Link href="/admin/keys" className="text-sm text-brand underline">
        ← All keys
      </Link>
      <div className="mt-2 flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold">
          {key.name}
          <StatusBadge status={key.state} />
        </h1>
        <div className="flex items-start gap-3">
          {key.state === 'suspended' ? <LiftSuspensionForm action={liftSuspensionAction} keyId={key.id} /> : null}
          {key.state !== 'suspended' && key.state !== 'revoked' ? (
            <ButtonLink href={`/admin/keys/${key.id}/suspend`} variant="secondary">
              Suspend
            </ButtonLink>
          ) : null}
          {key.state !== 'revoked' ? (
            <ButtonLink href={`/admin/keys/${key.id}/revoke`} variant="secondary">
              Revoke
            </ButtonLink>
          ) : null}
        </div>
      </div>
      {ownEntry(NOTICES, notice) ? (
        <div className="mt-4">
          <FormNotice message={ownEntry(NOTICES, notice)} />
        </div>
      ) : null}
      {key.revokedAt ? (
        <p className="mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
          Revoked by an administrator: {key.revocationReason} <span className="text-red-700">({minute(key.revokedAt)})</span>
        </p>
      ) : key.suspendedAt ? (
        <p className="mt-4 rounded-md border border-orange-200 bg-orange-50 px-3 py-2 text-sm text-orange-900">
          Suspended by an administrator: {key.suspensionReason} <span className="text-orange-700">({minute(key.suspendedAt)})</span>
        </p>
      ) : null}
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <div className="rounded-xl border border-slate-200 bg-white">
          <h2 className="border-b border-slate-200 px-4 py-3 font-semibold">Key</h2>
          <dl className="divide-y divide-slate-100">
            <Item term="API Key">
              <span className="font-mono text-xs">{key.publicKey}</span>
            </Item>
            <Item term="Permissions">{permissionNames(key.permissions)}</Item>
            <Item term="IP whitelist">
              {key.ipWhitelist.length ? <span className="font-mono text-xs">{key.ipWhitelist.join(', ')}</span> : 'Any address'}
            </Item>
            <Item term="Owner's switch">{key.status === 'active' ? 'Active' : 'Inactive'}</Item>
            <Item term="Expires">{key.expiresAt ? minute(key.expiresAt) : 'Never'}</Item>
            <Item term="Previous secret">
              {previousSecretInForce(previousEnds, now) ? `Rotated: still valid until ${minute(previousEnds!)}` : 'None'}
            </Item>
            <Item term="Created">
              {minute(key.createdAt)}
              {key.createdByEmail ? ` by ${key.createdByEmail}` : ''}
            </Item>
            <Item term="Activated">{key.activatedAt ? minute(key.activatedAt) : 'Never'}</Item>
            <Item term="Last update">{minute(key.updatedAt)}</Item>
            <Item term="Last used">{key.lastUsedAt ? `${minute(key.lastUsedAt)} · ${key.lastUsedIp ?? 'unknown address'}` : 'Never'}</Item>
          </dl>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white">
          <h2 className="border-b border-slate-200 px-4 py-3 font-semibold">Account and owner</h2>
          <dl className="divide-y divide-slate-100">
            <Item term="Account">
              <Link href={`/admin/keys?account=${key.accountId}`} prefetch={false} className="text-brand underline">
                {key.accountName}
              </Link>
            </Item>
            <Item term="Type">{ACCOUNT_TYPE_LABELS[key.accountType]}</Item>
            <Item term="Account id">
              <span className="font-mono text-xs">{key.accountId}</span>
            </Item>
            <Item term="Owner">{key.ownerEmail ? `${key.ownerName ?? ''} · ${key.ownerEmail}` : 'No owner'}</Item>
          </dl>
        </div>
      </div>
      <AdminKeyUsage usage={usage} unused={unused} now={now} />
      <div className="mt-8 flex items-center justify-between">
        <h2 className="text-lg font-semibold">History</h2>
        <Link href={`/admin/audit?key=${key.id}`} prefetch={false} className="text-sm text-brand underline">
          Open in the audit log
        </Link>
      </div>
      <AuditTable events={history.slice(0, HISTORY_LIMIT)} caption={`History of key ${key.name}`} />
      {history.length > HISTORY_LIMIT ? (
        <p className="mt-2 text-sm text-slate-600">
          Showing the newest {HISTORY_LIMIT} events;{' '}
          <Link href={`/admin/audit?key=${key.id}`} prefetch={false} className="text-brand underline">
            the audit log has them all
          </Link>
          .
        </p>
      ) : null}
    </section>
  );
}
