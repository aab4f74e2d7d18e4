import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { ExpiryBadge, StatusBadge } from '@/components/status-badge';
import { getDb } from '@/lib/platform/database';
import { pipelinedReads } from '@/db/client';
import { timedStep } from '@/lib/platform/page-timing';
import { findAccountKeyDetail, listKeyHistory } from '@/db/queries/api-keys';
import { findKeyUsage } from '@/db/queries/key-usage';
import { unusedMoneyPermissions } from '@/lib/api/unused-permissions';
import { KeyUsageReport } from '@/components/key-usage';
import { ownerAccess } from '@/lib/web/auth';
import { uuidSchema } from '@/lib/web/form-schemas';
import { expiryText } from '@/lib/keys/expiry';
import { keyWasDeleted } from '@/lib/keys/store';
import { expiresSoonInDays, expiresSoonText, keyState, keyStateLabel } from '@/lib/keys/state';
import { PermissionNames, WhitelistEntries } from '@/components/key-access';
import { KeyActions } from '../keys-table';
import { utcMinute as when } from '@/lib/platform/utc-time';
import { OwnerOnly } from '../owner-only';
import { KeyHistory } from './key-history';
import { LeastPrivilege } from './least-privilege';
import { SecretRotation } from './secret-rotation';
import { GONE } from './key-route';
import { TestKeySection } from './test-key/test-key-section';

export const metadata: Metadata = { title: 'API key' };

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-1 px-4 py-3 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="text-sm text-slate-900 sm:col-span-2">{children}</dd>
    </div>
  );
}

/** Everything about one key of the owner's account, and its own history from the audit log. */
export default async function KeyDetailPage({ params }: { params: Promise<{ keyId: string }> }) {
  const { keyId } = await params;
  const access = await ownerAccess(`/settings/api-keys/${keyId}`);
  if (!access.ok) return <OwnerOnly user={access.user} />;
  const { owner } = access;
  if (!uuidSchema.safeParse(keyId).success) notFound();
  const now = new Date();
  // The page's reads in one round trip: the history, usage and unused permissions are scoped to
  // the account too, so they are empty for a key that is not this account's, and unused then.
  const [key, history, usage, unused] = await timedStep('data', () =>
    pipelinedReads(getDb(), (reads) =>
      Promise.all([
        findAccountKeyDetail(reads, owner.accountId, keyId),
        listKeyHistory(reads, owner.accountId, keyId),
        findKeyUsage(reads, owner.accountId, keyId, now),
        unusedMoneyPermissions(reads, owner.accountId, keyId, now),
      ]),
    ),
  );
  if (!key) {
    if (await keyWasDeleted(getDb(), owner.accountId, keyId)) redirect(GONE);
    notFound();
  }
  const state = keyState(key, now);
  const soon = state === 'active' || state === 'inactive' ? expiresSoonInDays(key, now) : null;
  return (
    <section>
      <Link href="/settings/api-keys" prefetch={false} className="text-sm text-brand hover:underline">
        ← API Keys Management
      </Link>
      <div className="mt-2 flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold">
          {key.name}
          <StatusBadge status={state} />
          {soon !== null ? <ExpiryBadge text={expiresSoonText(soon)} /> : null}
        </h1>
        <KeyActions apiKey={key} now={now} />
      </div>
      <dl className="mt-6 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
        <Row label="API key">
          <span className="font-mono text-xs">{key.publicKey}</span>
        </Row>
        <Row label="Status">
          <span className={state === 'suspended' || state === 'revoked' ? 'text-red-800' : undefined}>{keyStateLabel(key, now)}</span>
        </Row>
        <Row label="Permissions">
          <PermissionNames permissions={key.permissions} />
        </Row>
        <Row label="IP whitelist">
          <WhitelistEntries entries={key.ipWhitelist} />
        </Row>
        <Row label="Created">
          {when(key.createdAt)}
          {key.createdByEmail ? ` by ${key.createdByName} (${key.createdByEmail})` : ''}
        </Row>
        <Row label="Activated">{key.activatedAt ? when(key.activatedAt) : 'Never'}</Row>
        <Row label="Last update">{when(key.updatedAt)}</Row>
        <Row label="Last used">{key.lastUsedAt ? `${when(key.lastUsedAt)} from ${key.lastUsedIp ?? 'an unknown address'}` : 'Never'}</Row>
        <Row label="Expiry">{expiryText(key.expiresAt, now)}</Row>
      </dl>
      <SecretRotation keyId={key.id} previousEnds={key.previousSecretExpiresAt} revoked={state === 'revoked'} now={now} />
      <LeastPrivilege keyId={key.id} unused={unused} />
      <KeyUsageReport usage={usage} now={now} />
      <TestKeySection publicKey={key.publicKey} permissions={key.permissions} usable={state === 'active'} />
      <h2 className="mt-8 text-lg font-semibold">History</h2>
      <KeyHistory entries={history} />
    </section>
  );
}
