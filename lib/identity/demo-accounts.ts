import type { Db } from '@/db/client';
import { seedDemo as seedDemoRows } from '@/db/seed';
import { sealTotpSecret } from '@/lib/second-factor/totp';
import { hashPassword } from './passwords';

export { DEMO_ACCOUNTS, DEMO_ADMIN_TOTP_SECRET, DEMO_PASSWORD, DEMO_SMS_PHONE, DEMO_TOTP_SECRET, demoAccountsText } from '@/db/seed';

/** The demo people and accounts, their password hashed and authenticator seed sealed as any user's. */
export function seedDemo(db: Db): Promise<boolean> {
  return seedDemoRows(db, { hashPassword, sealTotpSecret });
}
