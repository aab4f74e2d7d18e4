import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { maxKeysPerAccount } from '@/lib/platform/config';
import { parseIpWhitelist } from '@/lib/platform/ip-whitelist';
import { PERMISSIONS, normalizePermissions } from './permissions';
import { expiryInputFromForm, expirySchema } from './expiry';
import { refuse, type Refusal } from '@/lib/platform/results';

const NAME_MAX_LENGTH = 64;

/** The fields of the new-key (and later the edit) form, as the server trusts them. */
export const keyDetailsSchema = z.object({
  name: z
    .string({ error: 'Enter a name for the key' })
    .trim()
    .min(1, 'Enter a name for the key')
    .max(NAME_MAX_LENGTH, `Use at most ${NAME_MAX_LENGTH} characters`)
    // No control or invisible formatting characters: names are shown to people and in CSV.
    .regex(/^[^\p{C}]+$/u, 'Use printable characters only'),
  permissions: z
    .array(z.string({ error: 'Unknown permission' }), { error: 'Choose permissions' })
    .max(PERMISSIONS.length * 2, 'Too many permissions')
    .transform((values, ctx) => {
      // Read is shown ticked and disabled; a request without it did not come from our form.
      if (!values.includes('read')) {
        ctx.addIssue({ code: 'custom', message: 'Read permission is always included and cannot be removed' });
        return z.NEVER;
      }
      const result = normalizePermissions(values);
      if (!result.ok) {
        ctx.addIssue({ code: 'custom', message: result.error });
        return z.NEVER;
      }
      return result.permissions;
    }),
  ipWhitelist: z.string({ error: 'Enter addresses as text' }).transform((text, ctx) => {
    const result = parseIpWhitelist(text);
    if (!result.ok) {
      for (const message of result.errors) ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return result.entries;
  }),
  /** When the key stops working (null: never), from the expiry choice at the moment of the request. */
  expiry: expirySchema(),
});

export type KeyDetails = z.output<typeof keyDetailsSchema>;

export function keyDetailsFromForm(form: FormData): unknown {
  return {
    name: form.get('name') ?? '',
    permissions: form.getAll('permissions'),
    ipWhitelist: form.get('ipWhitelist') ?? '',
    expiry: expiryInputFromForm(form),
  };
}

/** A public id in the shape clients expect: a prefix and 32 URL-safe random characters. */
export function newPublicKey(): string {
  return `kd_${randomBytes(24).toString('base64url')}`;
}

/** 32 random bytes, base64url: the HMAC key the client signs requests with. */
export function newApiSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Creating, editing and deleting a key are confirmed with a second factor, so one must be on. */
/** Creating, editing and deleting a key are each confirmed by a second factor, so the owner needs one. */
export const hasSecondFactor = (user: { hasSms: boolean; hasTotp: boolean }) => user.hasSms || user.hasTotp;

export function twoFactorMissing(
  user: { hasSms: boolean; hasTotp: boolean },
  doing: 'creating' | 'editing' | 'deleting' | 'rotating the secret of',
): Refusal | null {
  return hasSecondFactor(user) ? null : refuse('refused', `Turn on two-factor authentication before ${doing} an API key.`);
}

export function limitMessage(): string {
  const max = maxKeysPerAccount();
  return `This account already has ${max} API keys, the most allowed. Delete one before creating another.`;
}

export const GONE_MESSAGE = 'This API key no longer exists: it was deleted. Nothing was changed.';

export const duplicateNameMessage = (name: string) => `An API key named '${name}' already exists in this account`;
