import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { auditEvents } from '@/db/schema';

/** Who did it and from where; read from the request by the caller (lib/web/request-context.ts). */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

export const NO_REQUEST: RequestContext = { ip: null, userAgent: null };

export type AuditAction =
  | 'sign_in.success'
  | 'sign_in.failure'
  | 'sign_in.code_required'
  | 'sign_out'
  | 'sign_out.everywhere'
  | 'session.ended'
  | 'session.ended_others'
  | 'sign_in.new_location'
  | 'account.locked_down'
  | 'password.changed'
  | 'password.change_failed'
  | 'code.sent'
  | 'code.failed'
  | 'code.locked'
  | 'code.throttled'
  | 'code.refused'
  | 'two_factor.unreadable'
  | 'sign_in.refused'
  | 'two_factor.enabled'
  | 'two_factor.disabled'
  | 'two_factor.lock_lifted'
  | 'user.disabled'
  | 'user.enabled'
  | 'notifications.reminders_changed'
  | 'notifications.second_email_added'
  | 'notifications.second_email_removed'
  | 'api_key.reminder_sent'
  | 'admin.step_up'
  | 'admin.step_up_failed'
  | 'key_creation.pending'
  | 'key_creation.void'
  | 'api_key.created'
  | 'api_key.secret_revealed'
  | 'api_key.activated'
  | 'api_key.deactivated'
  | 'key_change.pending'
  | 'key_change.void'
  | 'api_key.edited'
  | 'api_key.secret_rotated'
  | 'api_key.deleted'
  | 'api_key.suspended'
  | 'api_key.unsuspended'
  | 'api_key.revoked'
  | 'audit.exported';

export interface AuditEntry {
  action: AuditAction;
  actorUserId?: string | null;
  accountId?: string | null;
  apiKeyId?: string | null;
  success?: boolean;
  /** Never a secret, a code or a password: this table is read by admins and exported. */
  details?: Record<string, string | number | boolean | null | string[]>;
  /**
   * When it happened, if the caller measures time itself (a window computed from the same clock,
   * as the hourly cap on codes is); else the database's clock.
   */
  at?: Date;
}

/** Appends one event, in the caller's transaction so it lands exactly when the change does. */
export async function audit(db: Db | Tx, ctx: RequestContext, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values({
    ...(entry.at && { at: entry.at }),
    action: entry.action,
    actorUserId: entry.actorUserId ?? null,
    accountId: entry.accountId ?? null,
    apiKeyId: entry.apiKeyId ?? null,
    success: entry.success ?? true,
    details: entry.details ?? {},
    ip: ctx.ip,
    userAgent: ctx.userAgent?.slice(0, 512) ?? null,
  });
}

const REFUSAL_SAMPLE_SECONDS = 60;

/**
 * Appends a refusal (an attempt made during a lock-out, say) unless the same action was already
 * recorded for the same `key` in the last minute. Each refusal is evidence, but someone repeating
 * them must not be able to grow the table without bound: at most one row per minute per key.
 */
export async function auditRefusal(db: Db | Tx, ctx: RequestContext, entry: AuditEntry, key: string): Promise<void> {
  const [recent] = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.action, entry.action),
        // The database's clock, which stamped `at`, not this process's.
        gt(auditEvents.at, sql`now() - ${REFUSAL_SAMPLE_SECONDS} * interval '1 second'`),
        sql`${auditEvents.details}->>'refusalKey' = ${key}`,
      ),
    )
    .limit(1);
  if (recent) return;
  await audit(db, ctx, { ...entry, success: false, details: { ...entry.details, refusalKey: key } });
}
