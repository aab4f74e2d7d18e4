import { z } from 'zod';
import { utcMinute } from '@/lib/platform/utc-time';

/**
 * The grace period of a secret rotation (lib/keys/rotate.ts): how long the secret it replaces
 * keeps working, so a bot can move to the new one without downtime. The owner picks one of these.
 */
export const GRACE_PERIODS = { none: 0, '1h': 3_600, '24h': 86_400, '7d': 604_800 } as const;

export type GraceChoice = keyof typeof GRACE_PERIODS;

export const GRACE_CHOICES = Object.keys(GRACE_PERIODS) as GraceChoice[];

export const GRACE_LABELS: Record<GraceChoice, string> = {
  none: 'None: the old secret stops working at once',
  '1h': '1 hour',
  '24h': '24 hours',
  '7d': '7 days',
};

export const rotationSchema = z.object({
  grace: z.enum(GRACE_CHOICES as [GraceChoice, ...GraceChoice[]], { error: 'Choose how long the old secret keeps working' }),
});

/** When the replaced secret stops working, for a rotation applied at `now` (null: at once). */
export function graceEnd(graceSeconds: number, now: Date): Date | null {
  return graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000) : null;
}

/** Whether the secret a rotation replaced is still accepted at `now`: strictly before its end. */
export function previousSecretInForce(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && now.getTime() < expiresAt.getTime();
}

/** "until 2026-12-03 16:00 UTC", or that the old secret stopped at once. */
export function graceText(graceEndsAt: Date | null): string {
  return graceEndsAt ? `The previous secret keeps working until ${utcMinute(graceEndsAt)}` : 'The previous secret stopped working at once';
}
