import { generateSecret, generateURI, verify } from 'otplib';
import { decryptSecret, encryptSecret } from '@/lib/platform/crypto';
import { keyring } from '@/lib/platform/keyring';

/**
 * Authenticator-app codes: RFC 6238 with SHA-1, 6 digits and a 30-second step (what every
 * authenticator app defaults to), accepting one step either side for clock drift.
 */

export const TOTP_PERIOD_SECONDS = 30;
const TOTP_ISSUER = 'Keydesk';
const SECRET_BYTES = 20;
const TOKEN_FORMAT = /^\d{6}$/;

export type TotpResult = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'replayed' };

/** A new base32 secret of 160 bits, the size RFC 4226 recommends for HMAC-SHA-1. */
export function newTotpSecret(): string {
  return generateSecret({ length: SECRET_BYTES });
}

/** The otpauth:// URI an authenticator app scans, labelled "Keydesk:<accountLabel>". */
export function totpUri(secret: string, accountLabel: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: accountLabel, secret });
}

export function timeStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * Verifies a token against steps -1, 0 and +1 around `now`. The caller stores the returned step
 * and passes it back as `lastUsedStep`, so a code (or an older one) cannot be used twice.
 */
export async function verifyTotp(secret: string, token: string, opts: { now: Date; lastUsedStep: number | null }): Promise<TotpResult> {
  // otplib throws on malformed tokens; a form submission is not an exceptional event.
  if (!TOKEN_FORMAT.test(token)) return { ok: false, reason: 'invalid' };
  const result = await verify({
    secret,
    token,
    algorithm: 'sha1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    epoch: Math.floor(opts.now.getTime() / 1000),
    // Tolerance is in seconds; one period either side checks exactly steps -1..+1.
    epochTolerance: TOTP_PERIOD_SECONDS,
  });
  // otplib's functional verify is typed for TOTP and HOTP; only the TOTP result has a step.
  if (!result.valid || !('timeStep' in result)) return { ok: false, reason: 'invalid' };
  // Replay is checked here rather than with otplib's afterTimeStep so that a reused code is
  // reported as such instead of as a generic failure.
  if (opts.lastUsedStep !== null && result.timeStep <= opts.lastUsedStep) {
    return { ok: false, reason: 'replayed' };
  }
  return { ok: true, step: result.timeStep };
}

/** The AAD for a user's TOTP seed: a seed copied onto another user's row will not decrypt. */
const totpAad = (userId: string) => `totp:${userId}`;

/** A user's authenticator seed as stored: AES-256-GCM, bound to that user. */
export const sealTotpSecret = (userId: string, secret: string): string => encryptSecret(secret, totpAad(userId), keyring());

export const openTotpSecret = (userId: string, sealed: string): string => decryptSecret(sealed, totpAad(userId), keyring());

/** The seed, or null when it cannot be decrypted (a changed key ring, a damaged row). */
export function readTotpSecret(userId: string, sealed: string): string | null {
  try {
    return openTotpSecret(userId, sealed);
  } catch {
    return null;
  }
}
