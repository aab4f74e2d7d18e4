import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { expect, test } from './fixtures/test';
import { users } from './fixtures/users';

/**
 * Every server action is a public POST endpoint: whatever a hand-made request gives it — text
 * that is not Next's encoding, or arguments that are not a form — it is answered without a 500,
 * for a visitor, for the owner of a Prime account and for an admin (each reaches other checks).
 * And a page's URL, which anyone can type, answers without one too.
 */

interface ActionEntry {
  id: string;
  name: string;
  /** A page whose bundle holds the action, to post to (Next looks the action up there). */
  page: string;
}

function buildActions(): ActionEntry[] {
  const file = path.join(process.cwd(), '.next', 'server', 'server-reference-manifest.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    node: Record<string, { exportedName?: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    name: entry.exportedName ?? id,
    page: Object.keys(entry.workers)[0]
      .replace(/^app/, '')
      .replace(/\/page$/, '')
      .replace(/\[[^\]]+\]/g, '00000000-0000-4000-8000-000000000000'),
  }));
}

/** Next's root reference of the arguments, as a multipart field, with a field or two beside it. */
function multipart(root: string): FormData {
  const form = new FormData();
  form.set('0', root);
  form.set('keyId', 'not-an-id');
  return form;
}

type Send = (request: APIRequestContext, action: ActionEntry) => Promise<APIResponse>;

const HAND_MADE: [string, Send][] = [
  [
    'text that is not Next’s encoding',
    (request, action) =>
      request.post(action.page || '/', {
        headers: { 'next-action': action.id, 'content-type': 'text/plain;charset=UTF-8' },
        data: 'garbage',
      }),
  ],
  ...['["not a form"]', '[{"status":"idle"},"not a form"]', '[]', '[null,null]', '[{"a":1},{"b":2}]'].map((root): [string, Send] => [
    `a multipart request whose arguments are ${root}`,
    (request, action) => request.post(action.page || '/', { headers: { 'next-action': action.id }, multipart: multipart(root) }),
  ]),
];

async function answersOf(request: APIRequestContext): Promise<string[]> {
  const problems: string[] = [];
  const actions = buildActions();
  expect(actions.length).toBeGreaterThan(40);
  for (const action of actions) {
    for (const [what, send] of HAND_MADE) {
      const response = await send(request, action);
      if (response.status() >= 500) problems.push(`${action.name} (${action.page}), ${what}: ${response.status()}`);
    }
  }
  return problems;
}

test('no server action answers a hand-made request with a 500, signed out or in', async ({ page, signIn, pageSignedInAs }) => {
  test.setTimeout(180_000);
  expect(await answersOf(page.request)).toEqual([]);
  await signIn(users.smsOwner, { reuseSession: true });
  expect(await answersOf(page.request)).toEqual([]);
  const admin = await pageSignedInAs(users.admin);
  expect(await answersOf(admin.request)).toEqual([]);
});

/** Pages with what no link of ours makes: prototype keys as notices, paths whose escapes do not decode. */
const HAND_MADE_PAGES: [owner: boolean, path: string][] = [
  [true, '/settings/api-keys?notice=__proto__'],
  [true, '/settings/api-keys?notice=constructor&status=__proto__&q=%ED%A0%80'],
  [true, '/settings/notifications?saved=__proto__'],
  [true, '/settings/security?notice=toString'],
  [true, '/settings/api-keys/%ED%A0%80'],
  [true, '/settings/api-keys/%ED%A0%80/edit'],
  [true, '/settings/api-keys/new/%E0%A4%A'],
  [true, '/settings/security/not-me/%FF'],
  [false, '/admin/audit?action=__proto__'],
  [false, '/admin/people?notice=__proto__'],
  [false, '/admin/keys/%ED%A0%80'],
  [false, '/admin/people/%ED%A0%80/disable'],
];

test('no page answers a hand-made URL with a 500', async ({ page, signIn, pageSignedInAs }) => {
  await signIn(users.smsOwner, { reuseSession: true });
  const admin = await pageSignedInAs(users.admin);
  const problems: string[] = [];
  for (const [owner, url] of HAND_MADE_PAGES) {
    const response = await (owner ? page : admin).request.get(url, { maxRedirects: 0 });
    if (response.status() >= 500) problems.push(`${url}: ${response.status()}`);
  }
  expect(problems).toEqual([]);
});
