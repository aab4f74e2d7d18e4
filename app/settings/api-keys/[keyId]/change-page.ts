import 'server-only';
import { notFound, redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import type { ApiKeyRow } from '@/db/queries/api-keys';
import { uuidSchema } from '@/lib/web/form-schemas';
import { changeChallenge, findKeyChange, type KeyChange } from '@/lib/keys/confirm-change';
import { currentChallenge, type Challenge } from '@/lib/second-factor/challenges';
import type { OwnerContext } from '@/lib/identity/owner';
import { pageKey } from './key-route';

/** What the page of a pending edit, deletion or rotation needs, loaded and checked for its owner. */
export async function loadChangePage(
  owner: OwnerContext,
  keyId: string,
  changeId: string,
  kind: KeyChange['kind'],
): Promise<{ key: ApiKeyRow; change: KeyChange; challenge: Challenge | null }> {
  const key = await pageKey(owner, keyId);
  if (!uuidSchema.safeParse(changeId).success) notFound();
  const change = await findKeyChange(getDb(), owner, keyId, changeId);
  if (!change) notFound();
  if (change.kind !== kind) redirect(`/settings/api-keys/${keyId}/${change.kind}/${changeId}`);
  if (change.status === 'applied') redirect(`/settings/api-keys/${keyId}`);
  const challenge = change.status === 'pending_confirmation' ? await currentChallenge(getDb(), changeChallenge(owner, change)) : null;
  return { key, change, challenge };
}
