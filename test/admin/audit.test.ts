import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { GET as exportAudit } from '@/app/admin/audit/export/route';
import AdminAuditPage from '@/app/admin/audit/page';
import { ParamErrors } from '@/app/admin/param-errors';
import { listAuditActions } from '@/db/queries/admin-audit';
import { rowsOf } from '@/db/client';
import {
  auditCsvStream,
  auditFilter,
  auditHref,
  CSV_HEADER,
  loadAuditPage,
  parseAuditParams,
  type AuditQuery,
} from '@/lib/admin/audit-log';
import { audit } from '@/lib/platform/audit';
import { encodeCursor } from '@/lib/admin/cursor';
import { csvField, csvRow } from '@/lib/platform/csv';
import { accountIdByName, ADMIN, db, OWNER, signInAs, userByEmail, useTestDatabase } from '../support/actions';
import { makeKey } from '../support/keys';
import { findElement, follow } from '../support/admin-lists';

vi.mock('next/headers', () => import('../support/next-headers'));
vi.mock('next/navigation', () => import('../support/next-navigation'));

useTestDatabase();

const query = (q: Partial<AuditQuery> = {}): AuditQuery => ({ direction: 'after', ...q });

/** 45 events over three days; runs of them share one instant, so only the id orders them. */
async function seedEvents() {
  const owner = await userByEmail(OWNER);
  const admin = await userByEmail(ADMIN);
  const atlas = await accountIdByName('Atlas Capital');
  const borealis = await accountIdByName('Borealis Markets');
  const k1 = await makeKey(db(), { accountId: atlas, name: '=HYPERLINK("http://evil")' });
  const k2 = await makeKey(db(), { accountId: atlas, name: 'plain' });
  const ctx = { ip: '203.0.113.5', userAgent: '+cmd|calc' };
  for (let i = 0; i < 45; i++) {
    const action = (['api_key.created', 'api_key.activated', 'api_key.suspended'] as const)[i % 3];
    await audit(db(), ctx, {
      action,
      actorUserId: i % 5 === 0 ? admin.id : owner.id,
      accountId: i % 4 === 0 ? borealis : atlas,
      apiKeyId: i % 2 === 0 ? k1.id : k2.id,
      details: { name: i % 2 === 0 ? k1.name : k2.name, n: i, note: '-2+3' },
    });
  }
  // Three days, and ties within each.
  await db().execute(
    sql`update audit_events set at = timestamptz '2025-05-01T12:00:00.000001Z' + ((id % 3) * interval '1 day') where action like 'api_key.%'`,
  );
  return { owner, admin, atlas, borealis, k1, k2 };
}

async function expectedIds(where = sql`true`): Promise<string[]> {
  return rowsOf<{ id: string }>(
    await db().execute(sql`select e.id::text as id from audit_events e where ${where} order by e.at desc, e.id desc`),
  ).map((r) => r.id);
}

async function walkAudit(q: AuditQuery, size: number) {
  const forward: string[][] = [];
  let page = await loadAuditPage(db(), q, size);
  forward.push(page.rows.map((r) => r.id));
  while (page.next) {
    page = await loadAuditPage(db(), follow(auditHref(q, { after: page.next }), parseAuditParams), size);
    forward.push(page.rows.map((r) => r.id));
  }
  const backward = [page.rows.map((r) => r.id)];
  while (page.prev) {
    page = await loadAuditPage(db(), follow(auditHref(q, { before: page.prev }), parseAuditParams), size);
    backward.unshift(page.rows.map((r) => r.id));
  }
  return { forward, backward };
}

describe('audit log', () => {
  it('newest first; Next and Previous visit every event exactly once, ties broken by id', async () => {
    await seedEvents();
    const { forward, backward } = await walkAudit(query(), 7);
    expect(forward.flat()).toEqual(await expectedIds());
    expect(forward.length).toBeGreaterThan(5);
    expect(backward).toEqual(forward);
  });

  it('filters by account, user email, key, action and date range (whole UTC days, both ends included)', async () => {
    const { admin, borealis, k1 } = await seedEvents();
    const ids = async (q: AuditQuery) => (await walkAudit(q, 6)).forward.flat();
    expect(await ids(query({ account: borealis }))).toEqual(await expectedIds(sql`e.account_id = ${borealis}::uuid`));
    expect(await ids(query({ user: ADMIN }))).toEqual(await expectedIds(sql`e.actor_user_id = ${admin.id}::uuid`));
    expect(await ids(query({ user: 'nobody@keydesk.test' }))).toEqual([]);
    expect(await ids(query({ key: k1.id }))).toEqual(await expectedIds(sql`e.api_key_id = ${k1.id}::uuid`));
    expect(await ids(query({ action: 'api_key.suspended' }))).toEqual(await expectedIds(sql`e.action = 'api_key.suspended'`));
    const may2 = await ids(query({ from: '2025-05-02', to: '2025-05-02' }));
    expect(may2).toEqual(await expectedIds(sql`e.at >= '2025-05-02T00:00:00Z' and e.at < '2025-05-03T00:00:00Z'`));
    expect(may2.length).toBe(15);
    expect(await ids(query({ from: '2025-05-02' }))).toHaveLength(30);
    expect(await ids(query({ to: '2025-05-01' }))).toEqual(await expectedIds(sql`e.at < '2025-05-02T00:00:00Z'`));
    const combined = await ids(query({ account: borealis, action: 'api_key.created', from: '2025-05-01', to: '2025-05-03', user: ADMIN }));
    expect(combined).toEqual(
      await expectedIds(sql`e.account_id = ${borealis}::uuid and e.action = 'api_key.created' and e.actor_user_id = ${admin.id}::uuid`),
    );
  });

  it('lists the actions present, once each', async () => {
    await seedEvents();
    expect(await listAuditActions(db())).toEqual(['api_key.activated', 'api_key.created', 'api_key.suspended']);
  });

  it('validates its parameters with clear messages, and the page shows them', async () => {
    const errorsOf = (raw: Record<string, string>) => {
      const parsed = parseAuditParams(raw);
      return parsed.ok ? [] : parsed.errors;
    };
    expect(errorsOf({ from: '2025-13-01' })).toEqual(['From must be a date (YYYY-MM-DD).']);
    expect(errorsOf({ to: 'yesterday' })).toEqual(['To must be a date (YYYY-MM-DD).']);
    expect(errorsOf({ from: '2025-05-03', to: '2025-05-01' })).toEqual(['The From date is after the To date.']);
    expect(errorsOf({ account: 'atlas' })).toEqual(['The account filter must be an account id.']);
    expect(errorsOf({ key: '1234' })).toEqual(['The key filter must be a key id.']);
    expect(errorsOf({ user: 'not an email' })).toEqual(['The user filter must be an email address.']);
    expect(errorsOf({ action: "x'; drop table audit_events; --" })).toEqual(['Choose an action from the list.']);
    expect(errorsOf({ after: encodeCursor(['2025-05-01T12:00:00.000001Z', '-1']) })).toEqual([
      'This page link is invalid or out of date. Start again from the first page.',
    ]);
    expect(parseAuditParams({ user: ' Admin@Keydesk.TEST ', action: 'api_key.revoked' })).toMatchObject({
      ok: true,
      query: { user: 'admin@keydesk.test', action: 'api_key.revoked' },
    });
    await signInAs(ADMIN);
    const tree = await AdminAuditPage({ searchParams: Promise.resolve({ from: 'soon' }) });
    expect(findElement(tree, ParamErrors)?.props.errors).toEqual(['From must be a date (YYYY-MM-DD).']);
    expect(auditHref(query({ action: 'api_key.created', from: '2025-01-01' }), { after: 'c' })).toBe(
      '/admin/audit?action=api_key.created&from=2025-01-01&after=c',
    );
  });
});

describe('CSV', () => {
  it('quotes as RFC 4180 and defuses formula-leading fields', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(42)).toBe('42');
    expect(csvField(false)).toBe('false');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1+1')).toBe("'-1+1");
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvField('a=b')).toBe('a=b');
    expect(csvRow(['a', null, '=x'])).toBe("a,,'=x\r\n");
  });

  it('the stream reads the log in keyset batches, newest first, one header', async () => {
    await seedEvents();
    const reader = auditCsvStream(db(), auditFilter(query({ action: 'api_key.created' })), 4).getReader();
    const chunks: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(new TextDecoder().decode(value));
    }
    expect(chunks.length).toBe(4); // 15 rows in batches of 4: 4, 4, 4, 3 (the header rides with the first)
    const lines = chunks.join('').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    const ids = lines.slice(1).map((l) => l.split(',')[1]);
    expect(ids).toEqual(await expectedIds(sql`e.action = 'api_key.created'`));
  });

  it('GET /admin/audit/export: the same filters as the page, escaped, as an attachment', async () => {
    const { k1 } = await seedEvents();
    await signInAs(ADMIN);
    const res = await exportAudit(new Request(`http://localhost/admin/audit/export?key=${k1.id}&action=api_key.suspended`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="keydesk-audit-\d{8}-\d{6}\.csv"$/);
    const text = await res.text();
    const lines = text.split('\r\n').filter(Boolean);
    const expected = await expectedIds(sql`e.api_key_id = ${k1.id}::uuid and e.action = 'api_key.suspended'`);
    expect(lines).toHaveLength(expected.length + 1);
    for (const line of lines.slice(1)) {
      expect(line).toContain(`"'=HYPERLINK(""http://evil"")"`); // key name, defused and quoted
      expect(line).toContain(",'+cmd|calc,"); // user agent
      expect(line).not.toMatch(/,[=+@-]/); // no field starts like a formula
    }
    const bad = await exportAudit(new Request('http://localhost/admin/audit/export?from=nope'));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('From must be a date (YYYY-MM-DD).\n');
  });
});
