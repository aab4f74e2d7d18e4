import { eq, sql } from 'drizzle-orm';
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { findUserSummary, type UserSummary } from '@/db/queries/users';
import { apiKeys, outboxMessages } from '@/db/schema';
import { changePassword, signOutEverywhere } from '@/lib/identity/credentials';
import type { OwnerContext } from '@/lib/identity/owner';
import {
  confirmTotpEnrolment,
  confirmTwoFactorDisable,
  pendingTotpSetup,
  requestTwoFactorDisable,
  startTotpEnrolment,
} from '@/lib/identity/two-factor';
import { confirmKeyActivation, requestKeyActivation } from '@/lib/keys/activate';
import { liftSuspension, revokeKey, suspendKey } from '@/lib/keys/admin';
import { deactivateKey, requestKeyDeletion, requestKeyEdit } from '@/lib/keys/change';
import { confirmKeyChange } from '@/lib/keys/confirm-change';
import { confirmKeyCreation, createPendingKey, revealCreatedKey } from '@/lib/keys/create';
import { escapeHtml } from '@/lib/messaging/email-template';
import { formatUtc, keyPrefix } from '@/lib/messaging/wording';
import type { RequestContext } from '@/lib/platform/audit';
import {
  ADMIN,
  db,
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  latestCode,
  makeKeyFor,
  MEMBER,
  NEW_OWNER,
  OWNER,
  totpCode,
  userByEmail,
  useTestDatabase,
} from '../support/actions';

/**
 * Every security email, as its reader gets it: who receives it, what it says (which key, when,
 * from where, what to do), that it holds no secret, code or password, and that it is queued in
 * the transaction of the change — a change that rolls back tells nobody.
 */

useTestDatabase();

const FROM: RequestContext = { ip: '198.51.100.23', userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' };
const ADMIN_FROM: RequestContext = {
  ip: '10.20.30.40',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Gecko/20100101 Firefox/127.0',
};
const NEW_PASSWORD = 'correct-horse-battery-staple';

type Row = typeof outboxMessages.$inferSelect;

const allMessages = () => db().select().from(outboxMessages);

/** The messages `action` queued (whatever it returned or threw). */
async function sentBy(action: () => Promise<unknown>): Promise<Row[]> {
  const before = new Set((await allMessages()).map((m) => m.id));
  await action();
  return (await allMessages()).filter((m) => !before.has(m.id));
}

const isCodeMessage = (m: Row) => /^\d{6} is /m.test(m.body);
const securityEmails = (rows: Row[]) => rows.filter((m) => m.channel === 'email' && !isCodeMessage(m));

async function owner(email: string): Promise<OwnerContext> {
  const user = (await findUserSummary(db(), (await userByEmail(email)).id))!;
  return { user, accountId: user.membership!.accountId, accountName: user.membership!.accountName };
}

const summary = async (email: string): Promise<UserSummary> => (await findUserSummary(db(), (await userByEmail(email)).id))!;

interface Expected {
  to: string;
  subject: string;
  says: string[];
  key?: { name: string; publicKey: string };
  /** Nothing of these may appear in any part. */
  secrets?: string[];
  byAdministrator?: boolean;
}

/** Exactly one security email among `rows`, saying what `expected` says and nothing secret. */
function expectSecurityEmail(rows: Row[], expected: Expected): Row {
  const emails = securityEmails(rows);
  expect(emails, JSON.stringify(rows.map((m) => m.subject ?? m.body))).toHaveLength(1);
  const [email] = emails;
  expect(email.destination).toBe(expected.to);
  expect(email.subject).toBe(expected.subject);
  expect(email.html).toMatch(/^<!doctype html>/);
  for (const words of expected.says) {
    expect(email.body).toContain(words);
    expect(email.html).toContain(escapeHtml(words));
  }
  expect(email.body).toContain(`When:`);
  expect(email.body).toContain(formatUtc(new Date()).slice(0, 16)); // the frozen clock, to the minute
  if (expected.byAdministrator) {
    expect(email.body).toMatch(/^By: +A Keydesk administrator$/m);
    // Staff's own address and browser are not the owner's business.
    expect(email.body).not.toContain(ADMIN_FROM.ip!);
    expect(email.body).not.toContain('Firefox 127');
  } else {
    expect(email.body).toMatch(/^From address: +198\.51\.100\.23$/m);
    expect(email.body).toMatch(/^Browser: +Firefox 128 on Linux$/m);
    expect(email.body).toContain('IF THIS WAS NOT YOU');
  }
  if (expected.key) {
    expect(email.body).toMatch(new RegExp(`^API key name: +${expected.key.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(email.body).toContain(`API key:      ${keyPrefix(expected.key.publicKey)}`);
    for (const part of [email.body, email.html!, email.subject!]) expect(part).not.toContain(expected.key.publicKey);
  }
  expect(email.body).toContain('Keydesk staff will never ask for your password, your codes or your API secret.');
  for (const secret of [DEMO_PASSWORD, ...(expected.secrets ?? [])]) {
    for (const part of [email.body, email.html!, email.subject!]) expect(part).not.toContain(secret);
  }
  // No code of any kind: no six digits in a row anywhere.
  expect(email.body).not.toMatch(/(?<!\d)\d{6}(?!\d)/);
  return email;
}

async function secretOf(keyId: string): Promise<string> {
  const [row] = await db().select({ secretEnc: apiKeys.secretEnc }).from(apiKeys).where(eq(apiKeys.id, keyId));
  return row.secretEnc;
}

describe('key events go to the account owner (not to its members)', () => {
  it('created: names the key (escaped in HTML), its first characters, permissions and whitelist; no secret', async () => {
    const atlas = await owner(OWNER);
    const name = '<script>alert(1)</script>';
    const created = await createPendingKey(
      db(),
      atlas,
      { name, permissions: ['read', 'trade'], ipWhitelist: ['198.51.100.0/24'], expiry: null },
      FROM,
    );
    if (!created.ok) throw new Error('not created');
    const code = await totpCode(DEMO_TOTP_SECRET);
    const rows = await sentBy(() => confirmKeyCreation(db(), atlas, created.creationId, code, FROM));
    const revealed = (await revealCreatedKey(db(), atlas, created.creationId, FROM))!;
    const email = expectSecurityEmail(rows, {
      to: OWNER,
      subject: `New API key created: “${name}”`,
      says: [`The API key “${name}” was created on your account.`, 'Trade', '198.51.100.0/24', 'Atlas Capital'],
      key: { name, publicKey: revealed.publicKey },
      secrets: [revealed.secret!, await secretOf(revealed.keyId), code],
    });
    expect(email.body).toMatch(/^Permissions: +Read, Trade$/m);
    expect(email.html).not.toContain('<script>alert');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(rows.filter((m) => m.destination === MEMBER)).toHaveLength(0);
  });

  it('activated: the code email names the key; the security email follows the right code', async () => {
    const atlas = await owner(OWNER);
    const { key, secret, user } = await makeKeyFor(OWNER, { status: 'inactive' });
    const codeRows = await sentBy(() => requestKeyActivation(db(), atlas, key.id, FROM));
    expect(codeRows).toHaveLength(1);
    const code = await latestCode(user.id, 'email');
    expect(codeRows[0]).toMatchObject({ channel: 'email', destination: OWNER, subject: 'Your code to activate an API key: “Trading bot”' });
    expect(codeRows[0].body).toContain(`${code} is the code to activate your Keydesk API key "Trading bot".`);
    expect(codeRows[0].body).toContain(`API key:      ${keyPrefix(key.publicKey)}`);
    expect(codeRows[0].body).toContain('Keydesk staff will never ask you for it.');
    expect(codeRows[0].html).toContain(code);
    expect(codeRows[0].body).not.toContain(secret);

    const rows = await sentBy(() => confirmKeyActivation(db(), atlas, key.id, code, FROM));
    expectSecurityEmail(rows, {
      to: OWNER,
      subject: 'API key activated: “Trading bot”',
      says: ['The API key “Trading bot” was activated: it can now be used to call the API with its permissions.'],
      key,
      secrets: [secret, code],
    });
  });

  it('edited: says what changed, and that widening deactivated the key', async () => {
    const atlas = await owner(OWNER);
    const { key, secret } = await makeKeyFor(OWNER);
    const edit = {
      name: 'Renamed bot',
      permissions: ['read' as const, 'funds_wallet' as const],
      ipWhitelist: ['198.51.100.0/24'],
      expiry: null,
    };
    const asked = await requestKeyEdit(db(), atlas, key.id, edit, FROM);
    if (!asked.ok) throw new Error('not asked');
    const code = await totpCode(DEMO_TOTP_SECRET);
    const rows = await sentBy(() => confirmKeyChange(db(), atlas, key.id, asked.changeId, code, FROM));
    expectSecurityEmail(rows, {
      to: OWNER,
      subject: 'API key changed: “Renamed bot”',
      says: [
        'What changed',
        '- Name: Trading bot → Renamed bot',
        '- Permissions added: Funds Wallet',
        '- Permissions removed: Trade',
        'These changes widen what the key may do, so it was deactivated',
      ].map((line) => line.replace(/^- /, '')),
      key: { name: 'Renamed bot', publicKey: key.publicKey },
      secrets: [secret, code],
    });
  });

  it('deactivated and deleted', async () => {
    const atlas = await owner(OWNER);
    const { key, secret } = await makeKeyFor(OWNER);
    expectSecurityEmail(await sentBy(() => deactivateKey(db(), atlas, key.id, FROM)), {
      to: OWNER,
      subject: 'API key deactivated: “Trading bot”',
      says: ['The API key “Trading bot” was deactivated: it no longer works until it is activated again.'],
      key,
      secrets: [secret],
    });
    const asked = await requestKeyDeletion(db(), atlas, key.id, FROM);
    if (!asked.ok) throw new Error('not asked');
    const code = await totpCode(DEMO_TOTP_SECRET);
    expectSecurityEmail(await sentBy(() => confirmKeyChange(db(), atlas, key.id, asked.changeId, code, FROM)), {
      to: OWNER,
      subject: 'API key deleted: “Trading bot”',
      says: ['The API key “Trading bot” was deleted: it no longer works and cannot be restored.'],
      key,
      secrets: [secret, code],
    });
  });

  it('suspended, lifted and revoked by an administrator: with the reason, without the administrator’s address', async () => {
    const admin = { id: (await userByEmail(ADMIN)).id };
    const { key, secret } = await makeKeyFor(OWNER);
    expectSecurityEmail(await sentBy(() => suspendKey(db(), admin, key.id, 'Unusual withdrawals', ADMIN_FROM)), {
      to: OWNER,
      subject: 'API key suspended by an administrator: “Trading bot”',
      says: ['A Keydesk administrator suspended the API key “Trading bot”.', 'Unusual withdrawals'],
      key,
      secrets: [secret],
      byAdministrator: true,
    });
    expectSecurityEmail(await sentBy(() => liftSuspension(db(), admin, key.id, ADMIN_FROM)), {
      to: OWNER,
      subject: 'Suspension lifted: “Trading bot”',
      says: ['A Keydesk administrator lifted the suspension of the API key “Trading bot”.'],
      key,
      secrets: [secret],
      byAdministrator: true,
    });
    const email = expectSecurityEmail(await sentBy(() => revokeKey(db(), admin, key.id, 'Leaked on a public <forum>', ADMIN_FROM)), {
      to: OWNER,
      subject: 'API key revoked by an administrator: “Trading bot”',
      says: ['Revocation is permanent: the key can never be used again.', 'Leaked on a public <forum>'],
      key,
      secrets: [secret],
      byAdministrator: true,
    });
    expect(email.body).toMatch(/^Reason: +Leaked on a public <forum>$/m);
  });

  it('a refused change (a wrong code) sends no security email', async () => {
    const atlas = await owner(OWNER);
    const { key } = await makeKeyFor(OWNER, { status: 'inactive' });
    await requestKeyActivation(db(), atlas, key.id, FROM);
    const rows = await sentBy(() => confirmKeyActivation(db(), atlas, key.id, '000000', FROM));
    expect(securityEmails(rows)).toHaveLength(0);
  });
});

describe('sign-in events go to the person', () => {
  it('two-factor authentication turned on (no seed, no code in it)', async () => {
    const user = await summary(NEW_OWNER);
    await startTotpEnrolment(db(), user);
    const { secret } = (await pendingTotpSetup(db(), user))!;
    const code = await generate({ secret });
    expectSecurityEmail(await sentBy(() => confirmTotpEnrolment(db(), user, code, FROM)), {
      to: NEW_OWNER,
      subject: 'Two-factor authentication turned on',
      says: ['Two-factor authentication by an authenticator app was turned on for your Keydesk account.', 'Cobalt Trading'],
      secrets: [secret, code],
    });
  });

  it('two-factor authentication turned off', async () => {
    const user = await summary(OWNER);
    await requestTwoFactorDisable(db(), user, 'totp', FROM);
    const code = await totpCode(DEMO_TOTP_SECRET);
    expectSecurityEmail(await sentBy(() => confirmTwoFactorDisable(db(), user, code, FROM)), {
      to: OWNER,
      subject: 'Two-factor authentication turned off',
      says: ['Two-factor authentication by an authenticator app was turned off for your Keydesk account.'],
      secrets: [DEMO_TOTP_SECRET, code],
    });
  });

  it('password changed: neither password is in it', async () => {
    const user = await summary(OWNER);
    const input = { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD };
    expectSecurityEmail(await sentBy(() => changePassword(db(), user, input, FROM)), {
      to: OWNER,
      subject: 'Your Keydesk password was changed',
      says: ['The password of your Keydesk account was changed. Every other browser signed in to your account was signed out.'],
      secrets: [NEW_PASSWORD],
    });
  });

  it('a wrong current password changes nothing and tells nobody', async () => {
    const user = await summary(OWNER);
    const input = { currentPassword: 'not-the-password', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD };
    expect(await sentBy(() => changePassword(db(), user, input, FROM))).toHaveLength(0);
  });

  it('signed out everywhere', async () => {
    const user = await summary(OWNER);
    expectSecurityEmail(await sentBy(() => signOutEverywhere(db(), user, FROM)), {
      to: OWNER,
      subject: 'You were signed out everywhere',
      says: ['Every browser signed in to your Keydesk account, the one that asked included, was signed out.'],
    });
  });
});

/**
 * A failure at COMMIT (a deferred constraint trigger on the change's audit row): the change, its
 * audit row and its email go together or not at all.
 */
async function failingAtCommit<T>(auditAction: string, run: () => Promise<T>): Promise<void> {
  await db().execute(
    sql.raw(`create or replace function keydesk_test_fail() returns trigger language plpgsql as $$
      begin raise exception 'injected failure at commit'; end $$`),
  );
  await db().execute(
    sql.raw(`create constraint trigger keydesk_test_fail after insert on audit_events deferrable initially deferred
      for each row when (new.action = '${auditAction}') execute function keydesk_test_fail()`),
  );
  try {
    await expect(run()).rejects.toThrow(/injected failure at commit/);
  } finally {
    await db().execute(sql.raw('drop trigger keydesk_test_fail on audit_events'));
  }
}

describe('the email is queued in the transaction of the change', () => {
  it('a key creation that rolls back queues no email (and makes no key)', async () => {
    const atlas = await owner(OWNER);
    const created = await createPendingKey(db(), atlas, { name: 'Doomed', permissions: ['read'], ipWhitelist: [], expiry: null }, FROM);
    if (!created.ok) throw new Error('not created');
    const code = await totpCode(DEMO_TOTP_SECRET);
    const rows = await sentBy(() =>
      failingAtCommit('api_key.created', () => confirmKeyCreation(db(), atlas, created.creationId, code, FROM)),
    );
    expect(rows).toHaveLength(0);
    expect(await db().select().from(apiKeys).where(eq(apiKeys.name, 'Doomed'))).toHaveLength(0);
  });

  it.each<[string, () => Promise<() => Promise<unknown>>]>([
    [
      'api_key.deactivated',
      async () => {
        const [atlas, { key }] = [await owner(OWNER), await makeKeyFor(OWNER)];
        return () => deactivateKey(db(), atlas, key.id, FROM);
      },
    ],
    [
      'api_key.suspended',
      async () => {
        const [admin, { key }] = [{ id: (await userByEmail(ADMIN)).id }, await makeKeyFor(OWNER)];
        return () => suspendKey(db(), admin, key.id, 'Unusual withdrawals', ADMIN_FROM);
      },
    ],
    [
      'sign_out.everywhere',
      async () => {
        const user = await summary(OWNER);
        return () => signOutEverywhere(db(), user, FROM);
      },
    ],
  ])('%s that rolls back queues no email', async (action, prepare) => {
    const run = await prepare();
    expect(await sentBy(() => failingAtCommit(action, run))).toHaveLength(0);
    // …and once nothing fails, the same step does send it.
    expect(securityEmails(await sentBy(run))).toHaveLength(1);
  });
});
