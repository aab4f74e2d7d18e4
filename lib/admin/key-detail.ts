import type { Db } from '@/db/client';
import { findAdminKey, type AdminKeyDetailRecord } from '@/db/queries/admin-key-detail';
import type { KeyState } from '@/lib/keys/state';
import { withState } from './key-list';

/** Everything about one key for its admin page, with its state by the one rule. */
export interface AdminKeyDetail extends AdminKeyDetailRecord {
  state: KeyState;
}

export async function loadAdminKey(db: Db, keyId: string, now: Date): Promise<AdminKeyDetail | null> {
  const record = await findAdminKey(db, keyId);
  return record ? withState(record, now) : null;
}
