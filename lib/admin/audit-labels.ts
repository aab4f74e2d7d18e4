import type { AuditAction } from '@/lib/platform/audit';
import { ownEntry } from '@/lib/platform/own-entry';

/**
 * What each audit event means, in the words an administrator reads the log in. Exhaustive by type:
 * a new event does not compile until it is named here.
 */
export const AUDIT_LABELS: Record<AuditAction, string> = {
  'sign_in.success': 'Signed in',
  'sign_in.failure': 'Sign-in failed (wrong email or password)',
  'sign_in.code_required': 'Password accepted, second factor asked',
  'sign_in.refused': 'Sign-in refused',
  sign_out: 'Signed out',
  'sign_out.everywhere': 'Signed out everywhere',
  'session.ended': 'Ended a session',
  'session.ended_others': 'Ended all other sessions',
  'sign_in.new_location': 'Signed in from a new address or browser',
  'account.locked_down': 'Deactivated all keys (this wasn’t me)',
  'password.changed': 'Password changed',
  'password.change_failed': 'Password change failed',
  'code.sent': 'Confirmation code sent',
  'code.failed': 'Wrong confirmation code',
  'code.locked': 'Code locked after too many wrong tries',
  'code.throttled': 'Code not sent: too many requested',
  'code.refused': 'Code refused (expired or used)',
  'two_factor.unreadable': 'Authenticator secret could not be read',
  'two_factor.enabled': 'Two-factor authentication turned on',
  'two_factor.disabled': 'Two-factor authentication turned off',
  'two_factor.lock_lifted': 'Code lock lifted',
  'user.disabled': 'Person disabled by an administrator',
  'user.enabled': 'Person enabled again by an administrator',
  'notifications.reminders_changed': 'Key reminders turned on or off',
  'notifications.second_email_added': 'Second address for key emails confirmed',
  'notifications.second_email_removed': 'Second address for key emails removed',
  'api_key.reminder_sent': 'API key reminder sent',
  'admin.step_up': 'Administrator confirmed with a code',
  'admin.step_up_failed': 'Administrator code confirmation failed',
  'key_creation.pending': 'API key creation started (awaiting code)',
  'key_creation.void': 'API key creation abandoned',
  'api_key.created': 'API key created',
  'api_key.secret_revealed': 'API secret shown (once)',
  'api_key.activated': 'API key activated',
  'api_key.deactivated': 'API key deactivated',
  'key_change.pending': 'API key change started (awaiting code)',
  'key_change.void': 'API key change abandoned',
  'api_key.edited': 'API key edited',
  'api_key.secret_rotated': 'API secret rotated',
  'api_key.deleted': 'API key deleted',
  'api_key.suspended': 'API key suspended by an administrator',
  'api_key.unsuspended': 'API key suspension lifted',
  'api_key.revoked': 'API key revoked by an administrator',
  'audit.exported': 'Audit log exported',
};

/** The label of a stored action; an action this build does not know keeps its code. */
export const auditLabel = (action: string): string => ownEntry<string>(AUDIT_LABELS, action) ?? action;

const DETAIL_LABELS: Record<string, string> = {
  reason: 'Reason',
  permissions: 'Permissions',
  ipWhitelist: 'IP whitelist',
  name: 'Name',
  channel: 'Channel',
  purpose: 'Purpose',
  method: 'Method',
  expiresAt: 'Expires',
  changes: 'Changes',
  from: 'From',
  to: 'To',
  kind: 'Kind',
  enabled: 'Enabled',
  address: 'Address',
};

/** An event's details as label/value lines (one per field), for the audit table. */
export function detailLines(details: Record<string, unknown>): { label: string; value: string }[] {
  return Object.entries(details).map(([key, value]) => ({
    label: ownEntry(DETAIL_LABELS, key) ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()),
    value: Array.isArray(value)
      ? value.length > 0
        ? value.join(', ')
        : 'none'
      : typeof value === 'object' && value !== null
        ? JSON.stringify(value)
        : String(value),
  }));
}
