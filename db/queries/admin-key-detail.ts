import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../client';
import { keysWithAccount, selectSql, toRecord, type AdminKeyRecord, type RawKeyRow } from './admin-keys';
import { toDateOrNull, tsText } from './admin-sql';

/** Everything about one key for its admin page: what the owner sees, plus account, owner and admin state. */
export interface AdminKeyDetailRecord extends AdminKeyRecord {
  ipWhitelist: string[];
  activatedAt: Date | null;
  createdByEmail: string | null;
  ownerName: string | null;
  suspensionReason: string | null;
  revocationReason: string | null;
}

export async function findAdminKey(db: Db, keyId: string): Promise<AdminKeyDetailRecord | null> {
  const result = await db.execute(sql`
    select base.*, array_to_json(k.ip_whitelist)::text as ip_whitelist, ${tsText(sql`k.activated_at`)} as activated_at,
      k.suspension_reason, k.revocation_reason, cu.email as created_by_email, ou.name as owner_name
    from (${selectSql(sql`k.created_at`, keysWithAccount(sql`k.id = ${keyId}::uuid`))}) base
    join api_keys k on k.id = base.id
    left join users cu on cu.id = k.created_by
    left join users ou on ou.email = base.owner_email`);
  const [raw] = rowsOf<
    RawKeyRow & {
      ip_whitelist: string;
      activated_at: string | null;
      suspension_reason: string | null;
      revocation_reason: string | null;
      created_by_email: string | null;
      owner_name: string | null;
    }
  >(result);
  if (!raw) return null;
  return {
    ...toRecord(raw),
    ipWhitelist: JSON.parse(raw.ip_whitelist) as string[],
    activatedAt: toDateOrNull(raw.activated_at),
    createdByEmail: raw.created_by_email,
    ownerName: raw.owner_name,
    suspensionReason: raw.suspension_reason,
    revocationReason: raw.revocation_reason,
  };
}
