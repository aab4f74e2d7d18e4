import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Dialog } from '@/components/dialog';
import { DialogActions } from '@/components/dialog-actions';
import { PermissionNames, WhitelistEntries } from '@/components/key-access';
import { RevealedValue, SecretSaveNotice } from '@/components/secret-reveal';
import { getDb } from '@/lib/platform/database';
import { ownerAccess } from '@/lib/web/auth';
import { uuidSchema } from '@/lib/web/form-schemas';
import { revealCreatedKey } from '@/lib/keys/create';
import { expiryText } from '@/lib/keys/expiry';
import { requestContext } from '@/lib/web/request-context';
import { OwnerOnly } from '../../../owner-only';
import { SavedGate } from './saved-gate';

export const metadata: Metadata = { title: 'Your new API key' };
// Rendering this page is what uses up the one reveal: never cache or prerender it.
export const dynamic = 'force-dynamic';

export default async function RevealSecretPage({ params }: { params: Promise<{ creationId: string }> }) {
  const { creationId } = await params;
  const access = await ownerAccess(`/settings/api-keys/new/${creationId}/secret`);
  if (!access.ok) return <OwnerOnly user={access.user} />;
  if (!uuidSchema.safeParse(creationId).success) notFound();
  const revealed = await revealCreatedKey(getDb(), access.owner, creationId, await requestContext());
  if (!revealed) notFound();
  // The key list is not drawn behind this dialog: nothing else should share a page with the secret.
  return (
    <Dialog title="Your new API key" closeHref="/settings/api-keys" wide>
      <div className="space-y-4">
        <dl className="space-y-4">
          <RevealedValue id="api-key" label="API Key" value={revealed.publicKey} />
          {revealed.secret ? <RevealedValue id="api-secret" label="API Secret" value={revealed.secret} /> : null}
        </dl>
        <dl className="grid grid-cols-1 gap-x-4 gap-y-1 rounded-md border border-slate-200 p-3 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="font-medium text-slate-600">Permissions</dt>
          <dd className="text-slate-900">
            <PermissionNames permissions={revealed.permissions} />
          </dd>
          <dt className="font-medium text-slate-600 max-sm:mt-2">IP whitelist</dt>
          <dd className="text-slate-900">
            <WhitelistEntries entries={revealed.ipWhitelist} />
          </dd>
          <dt className="font-medium text-slate-600 max-sm:mt-2">Expiry</dt>
          <dd className="text-slate-900">{expiryText(revealed.expiresAt)}</dd>
        </dl>
        <SecretSaveNotice
          name={revealed.name}
          publicKey={revealed.publicKey}
          secret={revealed.secret}
          gone="The API Secret was shown once and cannot be shown again. If you did not save it, delete this key and create a new one."
        />
        {revealed.status === 'inactive' ? (
          <SavedGate creationId={creationId} askToConfirm={revealed.secret !== null} />
        ) : (
          <DialogActions cancelHref="/settings/api-keys" cancelLabel="Close" />
        )}
      </div>
    </Dialog>
  );
}
