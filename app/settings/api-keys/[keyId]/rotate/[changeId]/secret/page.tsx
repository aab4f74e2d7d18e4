import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Dialog } from '@/components/dialog';
import { DialogActions } from '@/components/dialog-actions';
import { RevealedValue, SecretSaveNotice } from '@/components/secret-reveal';
import { getDb } from '@/lib/platform/database';
import { ownerAccess } from '@/lib/web/auth';
import { uuidSchema } from '@/lib/web/form-schemas';
import { graceText } from '@/lib/keys/grace';
import { revealRotatedSecret } from '@/lib/keys/rotate';
import { requestContext } from '@/lib/web/request-context';
import { OwnerOnly } from '../../../../owner-only';

export const metadata: Metadata = { title: 'Your new API secret' };
// Rendering this page is what uses up the one reveal: never cache or prerender it.
export const dynamic = 'force-dynamic';

/** The rotated secret, once: the same reveal as a new key's, then back to the key's page. */
export default async function RotatedSecretPage({ params }: { params: Promise<{ keyId: string; changeId: string }> }) {
  const { keyId, changeId } = await params;
  const access = await ownerAccess(`/settings/api-keys/${keyId}/rotate/${changeId}/secret`);
  if (!access.ok) return <OwnerOnly user={access.user} />;
  if (!uuidSchema.safeParse(keyId).success || !uuidSchema.safeParse(changeId).success) notFound();
  const revealed = await revealRotatedSecret(getDb(), access.owner, keyId, changeId, await requestContext());
  if (!revealed) notFound();
  const back = `/settings/api-keys/${revealed.keyId}`;
  // Nothing else shares a page with the secret.
  return (
    <Dialog title={`New API secret for “${revealed.name}”`} closeHref={back} wide>
      <div className="space-y-4">
        <dl className="space-y-4">
          <RevealedValue id="api-key" label="API Key" value={revealed.publicKey} />
          {revealed.secret ? <RevealedValue id="api-secret" label="API Secret" value={revealed.secret} /> : null}
        </dl>
        <p className="rounded-md border border-slate-200 p-3 text-sm text-slate-800">{graceText(revealed.previousSecretExpiresAt)}.</p>
        <SecretSaveNotice
          name={revealed.name}
          publicKey={revealed.publicKey}
          secret={revealed.secret}
          gone="The new API Secret was shown once and cannot be shown again. If you did not save it, rotate the secret again."
        />
        <DialogActions cancelHref={back} cancelLabel="Close" />
      </div>
    </Dialog>
  );
}
