import { confirmChangeAction } from '@/app/settings/api-keys/[keyId]/change-actions';
import { form, IDLE } from './actions';

/**
 * Key edits and deletions as their forms post them (on the server-action harness of actions.ts):
 * the edit form, the URL of a pending change, and submitting its 2FA code.
 */

export interface EditFields {
  name?: string;
  permissions?: string[];
  ipWhitelist?: string;
  /** The expiry choice; by default "date" when a date is given, else "none". */
  expiry?: string;
  expiresOn?: string;
}

/** The edit form; by default it describes the key of makeKeyFor() (actions.ts's TRADING_BOT) unchanged. */
export const editForm = (
  keyId: string,
  { name = 'Trading bot', permissions = ['read', 'trade'], ipWhitelist = '198.51.100.0/24', expiresOn = '', expiry }: EditFields = {},
) => form({ keyId, name, permissions, ipWhitelist, expiry: expiry ?? (expiresOn ? 'date' : 'none'), expiresOn });

export const CHANGE_URL = (kind: 'edit' | 'delete') => new RegExp(`^/settings/api-keys/([0-9a-f-]{36})/${kind}/([0-9a-f-]{36})$`);

export function changeIdOf(url: string): string {
  return url.split('/').at(-1)!;
}

/** Submits the 2FA code of a pending edit or deletion, as its confirm form does. */
export const confirm = (keyId: string, changeId: string, code: string) => confirmChangeAction(IDLE, form({ keyId, changeId, code }));
