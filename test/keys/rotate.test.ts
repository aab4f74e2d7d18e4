import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { requestRotation } from '@/app/settings/api-keys/[keyId]/rotate/actions';
import RotatedSecretPage from '@/app/settings/api-keys/[keyId]/rotate/[changeId]/secret/page';
import { SecretRotation } from '@/app/settings/api-keys/[keyId]/secret-rotation';
import { AdminKeyDetail } from '@/app/admin/keys/[keyId]/key-detail';
import { auditEvents, keyChanges, outboxMessages } from '@/db/schema';
import { findAccountKeyDetail } from '@/db/queries/api-keys';
import { ApiGateway } from '@/lib/api/gateway';
import { wsSignature } from '@/lib/api/signing';
import { decryptSecret } from '@/lib/platform/crypto';
import { databaseHandle } from '@/lib/platform/database';
import { clearEndedGraces } from '@/lib/keys/rotate';
import { keyring } from '@/lib/platform/keyring';
import { formatUtc } from '@/lib/messaging/wording';
import {
  advanceTime,
  auditActions,
  changeRow,
  db,
  DEMO_TOTP_SECRET,
  expectNotFound,
  form,
  IDLE,
  keyRow,
  latestCode,
  makeKeyFor,
  OWNER,
  redirectOf,
  signInAs,
  SMS_OWNER,
  snapshot,
  totpCode,
  useTestDatabase,
} from '../support/actions';
import { signed, startWsServer } from '../support/api';
import { changeIdOf, confirm } from '../support/key-changes';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

/**
 * Rotating a key's secret, end to end in one process: the owner's forms (server actions), the
 * one-time reveal page, and the API (REST through the gateway, WebSocket through a real socket)
 * with its key cache kept in step by NOTIFY — the clock (Date) frozen and moved by the test.
 */
useTestDatabase();

let gateway: ApiGateway;
let ws: Awaited<ReturnType<typeof startWsServer>>;

beforeAll(async () => {
  gateway = new ApiGateway(() => db());
  // Starts LISTEN too: the key cache is then trusted, and only NOTIFY keeps it right.
  ws = await startWsServer(databaseHandle(), gateway);
});
afterAll(async () => ws?.close());

const HOUR = 3_600_000;
const ACTION = 'get_my_account_status_v3';
const FROM_WHITELIST = { ip: '198.51.100.7' };

/** NOTIFY is delivered after commit, asynchronously. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

const ROTATE_URL = /^\/settings\/api-keys\/[0-9a-f-]{36}\/rotate\/[0-9a-f-]{36}$/;
const secretPage = (keyId: string, changeId: string) => `/settings/api-keys/${keyId}/rotate/${changeId}/secret`;

/** A REST call signed with `secret`, as a bot holding it would make it: its HTTP status. */
async function restStatus(publicKey: string, secret: string): Promise<number> {
  return (await gateway.rest(signed({ publicKey, secret }, ACTION, {}, FROM_WHITELIST))).status;
}

/** Signs in, picks the grace, confirms with the SMS code: the rotation's id (its secret not yet shown). */
async function rotate(keyId: string, userId: string, grace: string): Promise<string> {
  await signInAs(SMS_OWNER);
  const to = await redirectOf(requestRotation(IDLE, form({ keyId, grace })));
  expect(to).toMatch(ROTATE_URL);
  const changeId = changeIdOf(to);
  expect(await redirectOf(confirm(keyId, changeId, await latestCode(userId, 'sms')))).toBe(secretPage(keyId, changeId));
  await settle();
  return changeId;
}

/** The reveal page as rendered for the signed-in owner, serialized: what the browser would get. */
async function revealPage(keyId: string, changeId: string): Promise<string> {
  return JSON.stringify(await RotatedSecretPage({ params: Promise.resolve({ keyId, changeId }) }));
}

/** Every string in a rendered element tree's props (its text and attributes), joined. */
function textOf(node: unknown, seen = new WeakSet<object>()): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (!node || typeof node !== 'object' || seen.has(node)) return '';
  seen.add(node);
  const children = Array.isArray(node) ? node : Object.values((node as { props?: object }).props ?? {});
  return children.map((child) => textOf(child, seen)).join(' ');
}

/** The new secret, read off the reveal page. */
function secretOn(page: string): string {
  const match = page.match(/"id":"api-secret","label":"API Secret","value":"([A-Za-z0-9_-]{43})"/);
  if (!match) throw new Error('no secret on the page');
  return match[1];
}

describe('rotating with a grace period', () => {
  it('the new secret is shown once; both secrets work for 1 h, then only the new one', async () => {
    const { key, secret: oldSecret, user } = await makeKeyFor(SMS_OWNER);
    // Cached by the API before the rotation: the rotation's NOTIFY must reach it.
    expect(await restStatus(key.publicKey, oldSecret)).toBe(200);

    const changeId = await rotate(key.id, user.id, '1h');
    const rotatedAt = Date.now();
    const first = await revealPage(key.id, changeId);
    const newSecret = secretOn(first);
    expect(newSecret).not.toBe(oldSecret);
    expect(first).toContain('The previous secret keeps working until');
    // Never again: a reload shows the API key and says the secret is gone.
    const second = await revealPage(key.id, changeId);
    expect(second).not.toContain(newSecret);
    expect(second).toContain(key.publicKey);
    expect(second).toContain('was shown once and cannot be shown again');

    // Same key, same everything but the secret; both stored encrypted.
    const after = (await keyRow(key.id))!;
    expect(after).toMatchObject({
      publicKey: key.publicKey,
      name: key.name,
      permissions: key.permissions,
      ipWhitelist: key.ipWhitelist,
      status: 'active',
      previousSecretEnc: key.secretEnc,
      previousSecretExpiresAt: new Date(rotatedAt + HOUR),
    });
    expect(after.secretEnc).not.toContain(newSecret);
    expect(decryptSecret(after.secretEnc, key.publicKey, keyring())).toBe(newSecret);

    expect(await restStatus(key.publicKey, oldSecret)).toBe(200);
    expect(await restStatus(key.publicKey, newSecret)).toBe(200);
    expect(await restStatus(key.publicKey, 'not-the-secret')).toBe(401);

    advanceTime(HOUR - 1000);
    expect(await restStatus(key.publicKey, oldSecret)).toBe(200);
    advanceTime(1000);
    expect(await restStatus(key.publicKey, oldSecret)).toBe(401);
    expect(await restStatus(key.publicKey, newSecret)).toBe(200);
  });

  it('the key page (and the admin key detail) say until when the previous secret works, and stop saying it after', async () => {
    const { key, user } = await makeKeyFor(SMS_OWNER);
    await rotate(key.id, user.id, '24h');
    // What the key page reads with the key, then draws.
    const section = async () => {
      const detail = await findAccountKeyDetail(db(), user.accountId!, key.id);
      return JSON.stringify(
        SecretRotation({ keyId: key.id, previousEnds: detail!.previousSecretExpiresAt, revoked: false, now: new Date() }),
      );
    };
    const ends = new Date(Date.now() + 24 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
    const adminView = async () => textOf(await AdminKeyDetail({ keyId: key.id }));
    expect(await section()).toContain(`the previous secret is valid until ${ends} UTC`);
    expect(await adminView()).toContain(`Rotated: still valid until ${ends} UTC`);
    advanceTime(24 * HOUR);
    expect(await section()).not.toContain('previous secret is valid until');
    expect(await adminView()).not.toContain('Rotated: still valid until');
  });

  it('is audited and emailed with the end of the grace, never with a secret', async () => {
    const { key, user } = await makeKeyFor(SMS_OWNER);
    const changeId = await rotate(key.id, user.id, '7d');
    const newSecret = secretOn(await revealPage(key.id, changeId));
    const graceEndsAt = new Date(Date.now() + 7 * 24 * HOUR);

    const [rotated] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'api_key.secret_rotated'), eq(auditEvents.apiKeyId, key.id)));
    expect(rotated).toMatchObject({
      actorUserId: user.id,
      success: true,
      details: { name: key.name, publicKey: key.publicKey, graceEndsAt: graceEndsAt.toISOString(), method: 'sms' },
    });
    expect(await auditActions()).toEqual(
      expect.arrayContaining(['key_change.pending', 'code.sent', 'api_key.secret_rotated', 'api_key.secret_revealed']),
    );

    const emails = await db()
      .select({ subject: outboxMessages.subject, body: outboxMessages.body, html: outboxMessages.html })
      .from(outboxMessages)
      .where(and(eq(outboxMessages.userId, user.id), eq(outboxMessages.channel, 'email')));
    const notice = emails.find((m) => m.subject === `API secret rotated: “${key.name}”`);
    expect(notice?.body).toContain(`Works until ${formatUtc(graceEndsAt)}`);
    expect(JSON.stringify(emails)).not.toContain(newSecret);
    const allAudit = JSON.stringify(await db().select().from(auditEvents));
    expect(allAudit).not.toContain(newSecret);
  });

  it('the replaced secret is deleted from the database once its grace is over, not before', async () => {
    const { key, secret: oldSecret, user } = await makeKeyFor(SMS_OWNER);
    await rotate(key.id, user.id, '1h');
    expect(await clearEndedGraces(db())).toBe(0);
    expect((await keyRow(key.id))?.previousSecretEnc).toBe(key.secretEnc);
    advanceTime(HOUR);
    expect(await clearEndedGraces(db())).toBe(1);
    expect(await keyRow(key.id)).toMatchObject({ previousSecretEnc: null, previousSecretExpiresAt: null });
    expect(await restStatus(key.publicKey, oldSecret)).toBe(401);
  });
});

describe('rotating without a grace period', () => {
  it('the old secret is refused at once, also by an API process that had the key cached', async () => {
    const { key, secret: oldSecret, user } = await makeKeyFor(SMS_OWNER);
    expect(await restStatus(key.publicKey, oldSecret)).toBe(200);
    const changeId = await rotate(key.id, user.id, 'none');
    expect(await keyRow(key.id)).toMatchObject({ previousSecretEnc: null, previousSecretExpiresAt: null });
    expect(await restStatus(key.publicKey, oldSecret)).toBe(401);
    expect(await restStatus(key.publicKey, secretOn(await revealPage(key.id, changeId)))).toBe(200);
  });

  it('a second rotation replaces the first one’s grace, and its page never shows the newer secret', async () => {
    const { key, secret: firstSecret, user } = await makeKeyFor(SMS_OWNER);
    const firstRotation = await rotate(key.id, user.id, '24h');
    await rotate(key.id, user.id, 'none');
    // The first rotation's secret was never revealed; the key's secret now is the second's.
    expect(await revealPage(key.id, firstRotation)).not.toMatch(/"id":"api-secret"/);
    expect(await restStatus(key.publicKey, firstSecret)).toBe(401);
  });
});

describe('WebSocket', () => {
  type Message = Record<string, unknown> & { e: string };

  async function connect() {
    const socket = new WebSocket(ws.url);
    const seen: Message[] = [];
    socket.on('message', (data) => seen.push(JSON.parse(data.toString()) as Message));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const next = async (e: string, from: number) => {
      for (let i = 0; i < 100; i++) {
        const found = seen.slice(from).find((m) => m.e === e);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no '${e}' message; saw ${JSON.stringify(seen)}`);
    };
    await next('connected', 0);
    const ask = async (message: Record<string, unknown>) => {
      const from = seen.length;
      socket.send(JSON.stringify(message));
      return next(String(message.e), from);
    };
    return { socket, seen, closed, ask };
  }

  const auth = (publicKey: string, secret: string) => {
    const timestamp = Math.floor(Date.now() / 1000);
    return { e: 'auth', oid: 'auth', auth: { key: publicKey, timestamp, signature: wsSignature(secret, timestamp, publicKey) } };
  };
  const ok = { data: { ok: 'ok' } };

  it('authenticates with either secret during the grace; after it the old one is refused and its socket ends', async () => {
    const { key, secret: oldSecret, user } = await makeKeyFor(SMS_OWNER, { ipWhitelist: [] });
    const changeId = await rotate(key.id, user.id, '1h');
    const newSecret = secretOn(await revealPage(key.id, changeId));

    const onOld = await connect();
    expect(await onOld.ask(auth(key.publicKey, oldSecret))).toMatchObject(ok);
    const onNew = await connect();
    expect(await onNew.ask(auth(key.publicKey, newSecret))).toMatchObject(ok);
    expect(await onOld.ask({ e: ACTION, oid: 'a', data: {} })).toMatchObject({ ok: 'ok' });

    advanceTime(HOUR);
    const late = await connect();
    expect(await late.ask(auth(key.publicKey, oldSecret))).toMatchObject({ data: { error: 'Invalid signature' } });
    expect(await late.ask(auth(key.publicKey, newSecret))).toMatchObject(ok);
    // The socket opened with the old secret lives no longer than that secret.
    onOld.socket.send(JSON.stringify({ e: ACTION, oid: 'b', data: {} }));
    await onOld.closed;
    expect(onOld.seen.some((m) => m.oid === 'b' && m.ok === 'ok')).toBe(false);
    expect(await onNew.ask({ e: ACTION, oid: 'c', data: {} })).toMatchObject({ ok: 'ok' });
    for (const client of [onNew, late]) client.socket.close();
  });

  it('a rotation without grace closes sockets opened with the old secret at once', async () => {
    const { key, secret: oldSecret, user } = await makeKeyFor(SMS_OWNER, { ipWhitelist: [] });
    const onOld = await connect();
    expect(await onOld.ask(auth(key.publicKey, oldSecret))).toMatchObject(ok);
    await rotate(key.id, user.id, 'none');
    await onOld.closed;
    const again = await connect();
    expect(await again.ask(auth(key.publicKey, oldSecret))).toMatchObject({ data: { error: 'Invalid signature' } });
    again.socket.close();
  });
});

describe('who may rotate, and what the form accepts', () => {
  it("another account's key id answers 404 at every step, and nothing changes", async () => {
    const { key, user } = await makeKeyFor(SMS_OWNER);
    await signInAs(SMS_OWNER);
    const changeId = changeIdOf(await redirectOf(requestRotation(IDLE, form({ keyId: key.id, grace: '1h' }))));
    const code = await latestCode(user.id, 'sms');

    await signInAs(OWNER);
    const before = await snapshot();
    await expectNotFound(requestRotation(IDLE, form({ keyId: key.id, grace: '1h' })));
    await expectNotFound(confirm(key.id, changeId, code));
    await expectNotFound(RotatedSecretPage({ params: Promise.resolve({ keyId: key.id, changeId }) }));
    expect(await snapshot()).toEqual(before);
    expect((await changeRow(changeId))?.status).toBe('pending_confirmation');
  });

  it.each([['forever'], [''], ['3600'], [undefined]])('a bad grace value (%s) is a field error and changes nothing', async (grace) => {
    const { key } = await makeKeyFor(SMS_OWNER);
    await signInAs(SMS_OWNER);
    const before = await snapshot();
    expect(await requestRotation(IDLE, form({ keyId: key.id, grace }))).toMatchObject({
      status: 'error',
      fieldErrors: { grace: ['Choose how long the old secret keeps working'] },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('a revoked key cannot be rotated', async () => {
    const { key } = await makeKeyFor(SMS_OWNER, { revokedAt: new Date(), revocationReason: 'leaked' });
    await signInAs(SMS_OWNER);
    const before = await snapshot();
    expect(await requestRotation(IDLE, form({ keyId: key.id, grace: '1h' }))).toMatchObject({
      status: 'error',
      message: 'Revoked by an administrator: leaked. A revoked key cannot be rotated.',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('a concurrent double submit of the code makes one rotation', async () => {
    const { key, secret: oldSecret } = await makeKeyFor(OWNER);
    await signInAs(OWNER);
    const changeId = changeIdOf(await redirectOf(requestRotation(IDLE, form({ keyId: key.id, grace: '1h' }))));
    const code = await totpCode(DEMO_TOTP_SECRET);
    const outcomes = await Promise.allSettled([confirm(key.id, changeId, code), confirm(key.id, changeId, code)]);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { redirectTo: secretPage(key.id, changeId) } });
    }
    expect((await auditActions()).filter((a) => a === 'api_key.secret_rotated')).toHaveLength(1);
    const after = (await keyRow(key.id))!;
    // Rotated once: the previous secret is the original one, not the first rotation's.
    expect(decryptSecret(after.previousSecretEnc!, key.publicKey, keyring())).toBe(oldSecret);
    const [change] = await db().select().from(keyChanges).where(eq(keyChanges.id, changeId));
    expect(change.status).toBe('applied');
    // Both tabs land on the reveal page: one of them sees the secret.
    const views = await Promise.all([revealPage(key.id, changeId), revealPage(key.id, changeId)]);
    expect(views.filter((v) => v.includes('"id":"api-secret"'))).toHaveLength(1);
  });
});
