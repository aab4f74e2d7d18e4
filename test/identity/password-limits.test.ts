import { captureLogs } from '../support/log-capture';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { signIn } from '@/app/sign-in/actions';
import { verifySignInCode } from '@/app/sign-in/verify/actions';
import { auditEvents, users } from '@/db/schema';
import { MAX_NETWORK_FAILURES, MAX_PASSWORD_FAILURES } from '@/lib/identity/sign-in';
import { UNREADABLE_AUTHENTICATOR_MESSAGE } from '@/lib/second-factor/challenges';
import { sealTotpSecret } from '@/lib/second-factor/totp';
import { useBrowser, Browser } from '../support/next-headers';
import {
  db,
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  form,
  IDLE,
  NEW_OWNER,
  OWNER,
  redirectOf,
  totpCode,
  userByEmail,
  useTestDatabase,
} from '../support/actions';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const ATTACKER = '203.0.113.66';
const OWNERS_OFFICE = '198.51.100.7';

/** A fresh browser at `ip`, trying a password. */
function tryPassword(ip: string, email: string, password: string) {
  const browser = useBrowser(new Browser());
  browser.requestHeaders.set('x-keydesk-client-ip', ip);
  return signIn(IDLE, form({ email, password, callbackUrl: '/settings' }));
}

const EMAIL_LOCKED = 'Too many failed sign-ins for this email. Try again in 15 minutes.';
const NETWORK_LIMITED = 'Too many failed sign-ins from your network. Try again in 15 minutes.';

async function refusals() {
  return db().select().from(auditEvents).where(eq(auditEvents.action, 'sign_in.refused'));
}

describe('password guessing is limited without letting anyone lock the owner out', () => {
  it('10 wrong passwords lock the email for the network they came from only: the owner still signs in from theirs', async () => {
    for (let i = 0; i < MAX_PASSWORD_FAILURES; i++) await tryPassword(ATTACKER, NEW_OWNER, `guess-${i}`);
    expect(await tryPassword(ATTACKER, NEW_OWNER, DEMO_PASSWORD)).toMatchObject({ status: 'error', message: EMAIL_LOCKED });
    expect(await redirectOf(tryPassword(OWNERS_OFFICE, NEW_OWNER, DEMO_PASSWORD))).toBe('/settings');
  });

  it('rotating through one IPv6 /64 is one network', async () => {
    for (let i = 0; i < MAX_PASSWORD_FAILURES; i++) await tryPassword(`2001:db8:1:2::${i + 1}`, NEW_OWNER, `guess-${i}`);
    expect(await tryPassword('2001:db8:1:2:ffff::9', NEW_OWNER, DEMO_PASSWORD)).toMatchObject({ message: EMAIL_LOCKED });
    expect(await redirectOf(tryPassword('2001:db8:1:3::1', NEW_OWNER, DEMO_PASSWORD))).toBe('/settings');
  });

  it('a network that spreads its guesses over many emails is stopped after 30', async () => {
    for (let i = 0; i < MAX_NETWORK_FAILURES; i++) await tryPassword(ATTACKER, `nobody-${i}@keydesk.test`, 'guess');
    expect(await tryPassword(ATTACKER, NEW_OWNER, DEMO_PASSWORD)).toMatchObject({ status: 'error', message: NETWORK_LIMITED });
    expect(await redirectOf(tryPassword(OWNERS_OFFICE, NEW_OWNER, DEMO_PASSWORD))).toBe('/settings');
  });

  it('refusals during the lock are audited with their reason, at most once a minute per email and network', async () => {
    for (let i = 0; i < MAX_PASSWORD_FAILURES + 5; i++) await tryPassword(ATTACKER, NEW_OWNER, `guess-${i}`);
    const rows = await refusals();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ip: ATTACKER, success: false, details: { email: NEW_OWNER, reason: 'email', network: ATTACKER } });
  });
});

describe('an authenticator seed the server cannot read', () => {
  it('answers a clear message, not a 500, counts nothing, and is audited', async () => {
    const owner = await userByEmail(OWNER);
    const other = await userByEmail(NEW_OWNER);
    // A seed sealed for another user (a copied row) does not decrypt for this one.
    await db()
      .update(users)
      .set({ totpSecretEnc: sealTotpSecret(other.id, DEMO_TOTP_SECRET) })
      .where(eq(users.id, owner.id));
    const logged = captureLogs();
    useBrowser(new Browser());
    expect(await redirectOf(signIn(IDLE, form({ email: OWNER, password: DEMO_PASSWORD, callbackUrl: '/settings' })))).toBe(
      '/sign-in/verify',
    );
    for (let i = 0; i < 2; i++) {
      const state = await verifySignInCode(IDLE, form({ code: await totpCode(DEMO_TOTP_SECRET) }));
      expect(state).toEqual({ status: 'error', fieldErrors: { code: [UNREADABLE_AUTHENTICATOR_MESSAGE] } });
    }
    const [row] = await db().select({ failures: users.secondFactorFailures }).from(users).where(eq(users.id, owner.id));
    expect(row.failures).toBe(0);
    const audited = await db().select().from(auditEvents).where(eq(auditEvents.action, 'two_factor.unreadable'));
    expect(audited).toMatchObject([{ actorUserId: owner.id, success: false }]);
    expect(logged.filter((line) => line.includes('cannot be decrypted')).length).toBeLessThanOrEqual(1);
    vi.restoreAllMocks();
  });
});
