import type { UserSummary } from '@/db/queries/users';

/** The owner of a Prime Liquidity account, as resolved from the session by lib/auth.ts. */
export interface OwnerContext {
  user: UserSummary;
  accountId: string;
  accountName: string;
}
