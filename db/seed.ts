import { eq } from 'drizzle-orm';
import type { Db } from './client';
import { accounts, balances, memberships, users, walletBalances } from './schema';

export const DEMO_PASSWORD = 'keydesk-demo';
/** Fixed so a person trying the demo can add it to a real authenticator app. */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
/** The admin's own, so the owner's authenticator never unlocks the admin console. */
export const DEMO_ADMIN_TOTP_SECRET = 'KEYDESKADMINSECRETKEYDESKADMIN23';
export const DEMO_SMS_PHONE = '+15550100200';

export const DEMO_ACCOUNTS = [
  { email: 'owner@keydesk.test', role: 'owner of Prime Liquidity account "Atlas Capital", 2FA by authenticator app' },
  { email: 'sms-owner@keydesk.test', role: 'owner of Prime Liquidity account "Borealis Markets", 2FA by SMS' },
  { email: 'new-owner@keydesk.test', role: 'owner of Prime Liquidity account "Cobalt Trading", no 2FA yet' },
  { email: 'member@keydesk.test', role: 'member (not owner) of "Atlas Capital"' },
  { email: 'standard@keydesk.test', role: 'owner of a standard (non-Prime) account' },
  { email: 'admin@keydesk.test', role: 'platform admin, 2FA by authenticator app' },
] as const;

type DemoEmail = (typeof DEMO_ACCOUNTS)[number]['email'];

/** How secrets are stored is the domain's rule (lib/identity/demo-accounts.ts passes it in). */
export interface DemoSecrets {
  hashPassword(password: string): Promise<string>;
  sealTotpSecret(userId: string, secret: string): string;
}

/** Creates the demo people and accounts once; a second run changes nothing. */
export async function seedDemo(db: Db, secrets: DemoSecrets): Promise<boolean> {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, 'owner@keydesk.test'));
  if (existing) return false;
  // One hash per person, each with its own salt: equal hashes would show who shares a password,
  // and one cracked hash would open every account.
  const passwordHashes = {} as Record<DemoEmail, string>;
  for (const { email } of DEMO_ACCOUNTS) passwordHashes[email] = await secrets.hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    const [atlas, borealis, cobalt, standard] = await tx
      .insert(accounts)
      .values([
        { name: 'Atlas Capital', type: 'prime' },
        { name: 'Borealis Markets', type: 'prime' },
        { name: 'Cobalt Trading', type: 'prime' },
        { name: 'Delta Retail', type: 'standard' },
      ])
      .returning({ id: accounts.id });
    const now = new Date();
    const person = (email: DemoEmail, name: string, extra: Partial<typeof users.$inferInsert> = {}) => ({
      email,
      name,
      passwordHash: passwordHashes[email],
      ...extra,
    });
    const [owner, smsOwner, newOwner, member, standardOwner, admin] = await tx
      .insert(users)
      .values([
        person('owner@keydesk.test', 'Olivia Owner', { totpEnabledAt: now }),
        person('sms-owner@keydesk.test', 'Sam Sms', { phone: DEMO_SMS_PHONE, smsEnabledAt: now }),
        person('new-owner@keydesk.test', 'Nora New'),
        person('member@keydesk.test', 'Max Member'),
        person('standard@keydesk.test', 'Stella Standard'),
        person('admin@keydesk.test', 'Ada Admin', { role: 'admin', totpEnabledAt: now }),
      ])
      .returning({ id: users.id });
    await tx
      .update(users)
      .set({ totpSecretEnc: secrets.sealTotpSecret(owner.id, DEMO_TOTP_SECRET) })
      .where(eq(users.id, owner.id));
    await tx
      .update(users)
      .set({ totpSecretEnc: secrets.sealTotpSecret(admin.id, DEMO_ADMIN_TOTP_SECRET) })
      .where(eq(users.id, admin.id));
    // Starting funds, so that the API's trading and transfer actions have something to move.
    const primeAccounts = [atlas.id, borealis.id, cobalt.id];
    const mainBalances = { BTC: '1.5', ETH: '20', USD: '250000', USDT: '50000' };
    const wallet = { BTC: '2', ETH: '10', USD: '100000' };
    await tx
      .insert(balances)
      .values(
        primeAccounts.flatMap((accountId) =>
          Object.entries(mainBalances).map(([currency, available]) => ({ accountId, subAccount: '', currency, available })),
        ),
      );
    await tx
      .insert(walletBalances)
      .values(primeAccounts.flatMap((accountId) => Object.entries(wallet).map(([currency, amount]) => ({ accountId, currency, amount }))));
    await tx.insert(memberships).values([
      { userId: owner.id, accountId: atlas.id, role: 'owner' },
      { userId: smsOwner.id, accountId: borealis.id, role: 'owner' },
      { userId: newOwner.id, accountId: cobalt.id, role: 'owner' },
      { userId: member.id, accountId: atlas.id, role: 'member' },
      { userId: standardOwner.id, accountId: standard.id, role: 'owner' },
    ]);
  });
  return true;
}

export function demoAccountsText(): string {
  const lines = DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(24)} ${a.role}`);
  return [
    `Demo accounts (password: ${DEMO_PASSWORD}):`,
    ...lines,
    `  Authenticator secret of owner@keydesk.test: ${DEMO_TOTP_SECRET}`,
    `  Authenticator secret of admin@keydesk.test: ${DEMO_ADMIN_TOTP_SECRET}`,
  ].join('\n');
}
