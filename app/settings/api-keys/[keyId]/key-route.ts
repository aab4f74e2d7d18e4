import 'server-only';
import { notFound, redirect } from 'next/navigation';
import { getDb } from '@/lib/platform/database';
import { findAccountKey, type ApiKeyRow } from '@/db/queries/api-keys';
import { uuidSchema } from '@/lib/web/form-schemas';
import { keyWasDeleted } from '@/lib/keys/store';
import { KEY_GONE_PATH } from '@/lib/web/refusal-state';
import type { OwnerContext } from '@/lib/identity/owner';

/** Helpers shared by the pages and actions of one key: ids are checked, never trusted. */

export const LIST = '/settings/api-keys';
export const GONE = KEY_GONE_PATH;

export function idFrom(form: FormData, field: 'keyId' | 'changeId'): string {
  const parsed = uuidSchema.safeParse(form.get(field));
  if (!parsed.success) notFound();
  return parsed.data;
}

/** For an action whose key was not found: was it deleted meanwhile (a clear message) or never ours (404)? */
export async function leaveForMissingKey(owner: OwnerContext, keyId: string): Promise<never> {
  if (await keyWasDeleted(getDb(), owner.accountId, keyId)) redirect(GONE);
  notFound();
}

/** The key a page is about, scoped to the owner's account. */
export async function pageKey(owner: OwnerContext, keyId: string): Promise<ApiKeyRow> {
  if (!uuidSchema.safeParse(keyId).success) notFound();
  const key = await findAccountKey(getDb(), owner.accountId, keyId);
  return key ?? leaveForMissingKey(owner, keyId);
}
