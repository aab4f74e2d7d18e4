import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { createApiKey } from '@/app/settings/api-keys/new/actions';
import { keyCreations } from '@/db/schema';
import {
  addSms,
  auditActions,
  countRows,
  creationById,
  db,
  form,
  IDLE,
  latestChallenge,
  latestCode,
  NEW_OWNER,
  outboxOf,
  OWNER,
  redirectOf,
  signInAs,
  SMS_OWNER,
  userByEmail,
  useTestDatabase,
} from '../support/actions';
import { makeKey } from '../support/keys';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

interface KeyForm {
  name?: string;
  permissions?: string[];
  ipWhitelist?: string;
  expiry?: string;
  expiresOn?: string;
}

const keyForm = ({
  name = 'Trading bot',
  permissions = ['read', 'trade'],
  ipWhitelist = '',
  expiry = 'none',
  expiresOn = '',
}: KeyForm = {}) => form({ name, permissions, ipWhitelist, expiry, expiresOn });

const CONFIRM_URL = /^\/settings\/api-keys\/new\/([0-9a-f-]{36})$/;

/**
 * Submits a form that must be refused, and checks the refusal left no trace: no pending
 * creation, no key, no challenge, no message, no audit row.
 */
async function refused(fields: KeyForm) {
  const before = await countRows();
  const state = await createApiKey(IDLE, keyForm(fields));
  expect(state.status).toBe('error');
  expect(await countRows()).toEqual(before);
  return state;
}

describe('createApiKey: the expiry choice, computed by the server when asked', () => {
  const DAY = 86_400_000;
  const midnightIn = (days: number) => {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + days * DAY);
  };
  const storedExpiry = async (fields: KeyForm) => {
    const url = await redirectOf(createApiKey(IDLE, keyForm(fields)));
    return (await creationById(url.match(CONFIRM_URL)![1]))?.expiresAt ?? null;
  };

  it('No expiry, 30, 90 and 365 days, and a date', async () => {
    await signInAs(SMS_OWNER);
    expect(await storedExpiry({ name: 'none', expiry: 'none', expiresOn: '2030-01-01' })).toBeNull();
    for (const days of [30, 90, 365]) expect(await storedExpiry({ name: `in ${days}`, expiry: String(days) })).toEqual(midnightIn(days));
    const date = midnightIn(10).toISOString().slice(0, 10);
    expect(await storedExpiry({ name: 'dated', expiry: 'date', expiresOn: date })).toEqual(new Date(`${date}T00:00:00Z`));
  });

  it('a form without the choice (an older page) means no expiry', async () => {
    await signInAs(SMS_OWNER);
    const url = await redirectOf(createApiKey(IDLE, form({ name: 'old page', permissions: ['read'], ipWhitelist: '' })));
    expect((await creationById(url.match(CONFIRM_URL)![1]))?.expiresAt).toBeNull();
  });

  it.each<[string, KeyForm, string]>([
    ['a date in the past', { expiry: 'date', expiresOn: '2020-01-01' }, 'Choose a date in the future'],
    ['today', { expiry: 'date', expiresOn: new Date().toISOString().slice(0, 10) }, 'Choose a date in the future'],
    ['no date', { expiry: 'date', expiresOn: '' }, 'Enter the date the key expires'],
    ['a garbage date', { expiry: 'date', expiresOn: '2027-02-30' }, 'Enter a valid date (YYYY-MM-DD)'],
    ['a date too far', { expiry: 'date', expiresOn: '2999-01-01' }, 'Choose a date at most 5 years ahead'],
    ['a garbage choice', { expiry: '10000', expiresOn: '' }, 'Choose when the key expires'],
  ])('refuses %s next to the field, and stores nothing', async (_, fields, message) => {
    await signInAs(SMS_OWNER);
    const state = await refused(fields);
    expect(state.status === 'error' && state.fieldErrors?.expiry?.[0]).toContain(message);
    // What was typed comes back, so the form shows it again.
    expect(state).toMatchObject({ values: { expiry: fields.expiry, expiresOn: fields.expiresOn } });
  });
});

describe('createApiKey: refusals store nothing', () => {
  it('an empty name', async () => {
    await signInAs(SMS_OWNER);
    const state = await refused({ name: '   ' });
    // The form shows the first message of a field.
    expect(state.status === 'error' && state.fieldErrors?.name?.[0]).toBe('Enter a name for the key');
  });

  it('a 65-character name (64 is fine)', async () => {
    await signInAs(SMS_OWNER);
    const state = await refused({ name: 'x'.repeat(65) });
    expect(state).toMatchObject({ fieldErrors: { name: ['Use at most 64 characters'] } });
    expect(await redirectOf(createApiKey(IDLE, keyForm({ name: 'x'.repeat(64) })))).toMatch(CONFIRM_URL);
  });

  it('a name with control characters', async () => {
    await signInAs(SMS_OWNER);
    const state = await refused({ name: 'bad\u0000name' });
    expect(state).toMatchObject({ fieldErrors: { name: ['Use printable characters only'] } });
  });

  it('a duplicate name, compared case-insensitively', async () => {
    const { accountId } = await userByEmail(SMS_OWNER);
    await makeKey(db(), { accountId: accountId!, name: 'Trading Bot', status: 'inactive' });
    await signInAs(SMS_OWNER);
    const state = await refused({ name: 'trading BOT' });
    expect(state).toMatchObject({ fieldErrors: { name: ["An API key named 'trading BOT' already exists in this account"] } });
  });

  it('the same name in another account is fine', async () => {
    const { accountId } = await userByEmail(OWNER);
    await makeKey(db(), { accountId: accountId!, name: 'Trading bot', status: 'inactive' });
    await signInAs(SMS_OWNER);
    expect(await redirectOf(createApiKey(IDLE, keyForm()))).toMatch(CONFIRM_URL);
  });

  it('an unknown permission', async () => {
    await signInAs(SMS_OWNER);
    const state = await refused({ permissions: ['read', 'admin'] });
    expect(state).toMatchObject({ fieldErrors: { permissions: ["Unknown permission 'admin'"] } });
  });

  it.each([
    ['no permissions at all', []],
    ['Read left out', ['trade', 'funds_wallet']],
    ['a forged "Read"', ['Read', 'trade']],
    ['Read padded with spaces', [' read', 'trade']],
  ])('missing or forged Read: %s', async (_label, permissions) => {
    await signInAs(SMS_OWNER);
    const state = await refused({ permissions });
    expect(state).toMatchObject({ fieldErrors: { permissions: ['Read permission is always included and cannot be removed'] } });
  });

  it('every invalid whitelist entry is named', async () => {
    await signInAs(SMS_OWNER);
    const state = await refused({ ipWhitelist: '1.2.3.4, 5.6.7.8/33;nope\n10.0.0.0/8  300.1.1.1,2001:db8::/129' });
    expect(state).toMatchObject({
      fieldErrors: {
        ipWhitelist: [
          "'5.6.7.8/33' is not a valid address or range",
          "'nope' is not a valid address or range",
          "'300.1.1.1' is not a valid address or range",
          "'2001:db8::/129' is not a valid address or range",
        ],
      },
    });
    // What was typed comes back so the person loses nothing.
    expect(state).toMatchObject({ values: { ipWhitelist: '1.2.3.4, 5.6.7.8/33;nope\n10.0.0.0/8  300.1.1.1,2001:db8::/129' } });
  });

  it('allow-everything ranges (IPv4 below /8, IPv6 below /16, mapped IPv4 judged as IPv4), each named', async () => {
    await signInAs(SMS_OWNER);
    const typed = '198.51.100.7 0.0.0.0/0, ::/0; 1.2.3.4/0\n::ffff:0.0.0.0/96';
    const state = await refused({ ipWhitelist: typed });
    const wide = (entry: string, why: string) => `'${entry}' covers too many addresses (${why}); leave the whitelist empty for any address`;
    expect(state).toMatchObject({
      fieldErrors: {
        ipWhitelist: [
          wide('0.0.0.0/0', 'IPv4 ranges must be /8 or narrower'),
          wide('::/0', 'IPv6 ranges must be /16 or narrower'),
          wide('1.2.3.4/0', 'IPv4 ranges must be /8 or narrower'),
          wide('::ffff:0.0.0.0/96', 'an IPv4-mapped range counts as IPv4, and IPv4 ranges must be /8 or narrower'),
        ],
      },
      values: { ipWhitelist: typed },
    });
    // The widest ranges allowed go through, and "any address" is the empty list.
    expect(await redirectOf(createApiKey(IDLE, keyForm({ name: 'wide', ipWhitelist: '10.0.0.0/8 2001:db8::/16' })))).toMatch(CONFIRM_URL);
    expect(await redirectOf(createApiKey(IDLE, keyForm({ name: 'open', ipWhitelist: '' })))).toMatch(CONFIRM_URL);
  });

  it('51 whitelist entries (50 is fine)', async () => {
    await signInAs(SMS_OWNER);
    const addresses = Array.from({ length: 51 }, (_, i) => `192.0.2.${i + 1}`);
    const state = await refused({ ipWhitelist: addresses.join('\n') });
    expect(state).toMatchObject({ fieldErrors: { ipWhitelist: ['At most 50 addresses or ranges are allowed (you entered 51)'] } });
    expect(await redirectOf(createApiKey(IDLE, keyForm({ ipWhitelist: addresses.slice(0, 50).join(' ') })))).toMatch(CONFIRM_URL);
  });

  it('a 21st key (the limit is 20)', async () => {
    const { accountId } = await userByEmail(SMS_OWNER);
    for (let i = 1; i <= 20; i++) await makeKey(db(), { accountId: accountId!, name: `key ${i}`, status: 'inactive' });
    await signInAs(SMS_OWNER);
    const state = await refused({ name: 'one too many' });
    expect(state).toMatchObject({ message: 'This account already has 20 API keys, the most allowed. Delete one before creating another.' });
  });

  it('an owner without 2FA is told to turn it on', async () => {
    await signInAs(NEW_OWNER);
    const state = await refused({});
    expect(state).toMatchObject({ message: 'Turn on two-factor authentication before creating an API key.' });
  });
});

describe('createApiKey: a valid request', () => {
  it('stores a pending creation (not a key), sends the SMS code and goes to the confirm page', async () => {
    await signInAs(SMS_OWNER);
    const user = await userByEmail(SMS_OWNER);
    const to = await redirectOf(
      createApiKey(
        IDLE,
        keyForm({
          name: '  Market maker ',
          permissions: ['read', 'funds_wallet', 'trade', 'trade'],
          ipWhitelist: '10.1.2.3/8 ; 2001:DB8::1, 10.0.0.0/8\n::ffff:192.0.2.1',
        }),
      ),
    );
    const creationId = to.match(CONFIRM_URL)![1];
    const creation = await creationById(creationId);
    expect(creation).toMatchObject({
      status: 'pending_confirmation',
      userId: user.id,
      accountId: user.accountId,
      name: 'Market maker',
      permissions: ['read', 'trade', 'funds_wallet'],
      ipWhitelist: ['10.0.0.0/8', '2001:db8::1', '192.0.2.1'],
      apiKeyId: null,
    });
    expect((await countRows()).apiKeys).toBe(0);

    const challenge = await latestChallenge(user.id, 'key_creation');
    expect(challenge).toMatchObject({
      subjectId: creationId,
      method: 'sms',
      status: 'pending',
      destination: user.phone,
      failedAttempts: 0,
    });
    const messages = await outboxOf(user.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ channel: 'sms', destination: user.phone });
    expect(await latestCode(user.id)).toMatch(/^\d{6}$/);
    expect(await auditActions()).toEqual(['key_creation.pending', 'code.sent']);
  });

  it('an authenticator owner gets a TOTP step and no message', async () => {
    await signInAs(OWNER);
    const user = await userByEmail(OWNER);
    const creationId = (await redirectOf(createApiKey(IDLE, keyForm()))).match(CONFIRM_URL)![1];
    expect(await latestChallenge(user.id, 'key_creation')).toMatchObject({ subjectId: creationId, method: 'totp', status: 'pending' });
    expect(await outboxOf(user.id)).toHaveLength(0);
  });

  it('an owner with both methods chooses first: no challenge yet', async () => {
    await addSms(OWNER);
    await signInAs(OWNER);
    const user = await userByEmail(OWNER);
    await redirectOf(createApiKey(IDLE, keyForm()));
    expect(await latestChallenge(user.id, 'key_creation')).toBeNull();
    expect(await outboxOf(user.id)).toHaveLength(0);
  });

  it('a new request replaces the earlier pending one', async () => {
    await signInAs(SMS_OWNER);
    const first = (await redirectOf(createApiKey(IDLE, keyForm({ name: 'first' })))).match(CONFIRM_URL)![1];
    const second = (await redirectOf(createApiKey(IDLE, keyForm({ name: 'second' })))).match(CONFIRM_URL)![1];
    expect((await creationById(first))?.status).toBe('void');
    expect((await creationById(second))?.status).toBe('pending_confirmation');
    expect(await db().select().from(keyCreations).where(eq(keyCreations.status, 'pending_confirmation'))).toHaveLength(1);
  });
});
