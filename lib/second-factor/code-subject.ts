import { eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { apiKeys, type challenges, keyChanges, keyCreations } from '@/db/schema';
import type { CodeSubject } from '@/lib/messaging/code-messages';

/**
 * The key a code is about, so its message can name it ("… to activate your API key "Bot""):
 * read from the challenge's subject row, whose id only the challenge holds. Null for codes that
 * concern no key (sign-in, two-factor settings, an administrator's step-up).
 */
export async function codeSubject(
  tx: Tx,
  challenge: Pick<typeof challenges.$inferSelect, 'purpose' | 'subjectId'>,
): Promise<CodeSubject | null> {
  const id = challenge.subjectId;
  if (!id) return null;
  switch (challenge.purpose) {
    case 'key_creation': {
      const [row] = await tx.select({ name: keyCreations.name }).from(keyCreations).where(eq(keyCreations.id, id));
      return row ?? null;
    }
    case 'key_activation': {
      const [row] = await tx.select({ name: apiKeys.name, publicKey: apiKeys.publicKey }).from(apiKeys).where(eq(apiKeys.id, id));
      return row ?? null;
    }
    case 'key_edit':
    case 'key_deletion':
    case 'key_rotation': {
      const [row] = await tx
        .select({ name: apiKeys.name, publicKey: apiKeys.publicKey })
        .from(keyChanges)
        .innerJoin(apiKeys, eq(apiKeys.id, keyChanges.apiKeyId))
        .where(eq(keyChanges.id, id));
      return row ?? null;
    }
    default:
      return null;
  }
}
