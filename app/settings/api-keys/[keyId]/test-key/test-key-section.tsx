import { headers } from 'next/headers';
import { CodeBlock } from '@/app/docs/api/code-block';
import { curlExample, nodeExample } from '@/app/docs/api/signing-examples';
import { baseUrlOf, exampleBodyOf } from '@/lib/api/docs';
import { API_ACTIONS } from '@/lib/api/registry';
import { PERMISSION_LABELS } from '@/lib/keys/permissions';
import { appUrl } from '@/lib/platform/config';
import { TestKeyPanel, type TestAction } from './test-key-panel';

/**
 * "Test this key" on the key's page: every signed action of the registry, marked when this key
 * lacks its permission (the API answers 403 then, which is worth seeing too). With JavaScript
 * the panel signs and sends a real call; without it, templates to sign by hand.
 */
export async function TestKeySection({
  publicKey,
  permissions,
  usable,
}: {
  publicKey: string;
  permissions: readonly string[];
  /** The key works now (active, not expired, suspended or revoked): else the API will answer 401. */
  usable: boolean;
}) {
  const h = await headers();
  const baseUrl = baseUrlOf(h.get('host'), h.get('x-forwarded-proto'), appUrl());
  const actions: TestAction[] = API_ACTIONS.flatMap((a) =>
    a.permission === null
      ? []
      : [
          {
            name: a.name,
            permission: PERMISSION_LABELS[a.permission],
            allowed: permissions.includes(a.permission),
            mutating: a.mutating,
            exampleBody: exampleBodyOf(a),
          },
        ],
  );
  const sample = actions.find((a) => a.allowed && !a.mutating) ?? actions[0];
  return (
    <section aria-labelledby="test-key-heading" className="mt-8">
      <h2 id="test-key-heading" className="text-lg font-semibold">
        Test this key
      </h2>
      <p className="mt-1 max-w-3xl text-sm text-slate-700">
        Paste the key’s secret, pick an action, and this page signs the call in your browser and sends it to the API, then shows the answer.
        The secret never leaves this browser: only the signature travels, as with any client.
      </p>
      {usable ? null : <p className="mt-2 text-sm text-amber-900">This key is not usable now, so the API will refuse it (HTTP 401).</p>}
      <div className="mt-4 rounded-xl border border-slate-200 bg-white p-4 sm:p-6">
        <TestKeyPanel publicKey={publicKey} baseUrl={baseUrl} actions={actions}>
          <p className="mb-4 text-sm text-slate-800">
            Sending a test call needs JavaScript: the signature is computed in your browser so that the secret stays in it. Without
            JavaScript, sign the call yourself with one of these (put this key, <span className="font-mono text-xs">{publicKey}</span>, and
            its secret where they say):
          </p>
          <div className="space-y-4">
            <CodeBlock
              label="curl, signing with openssl"
              language="sh"
              code={curlExample(baseUrl, { action: sample.name, body: sample.exampleBody })}
            />
            <CodeBlock
              label="Node (node:crypto and fetch)"
              language="js"
              code={nodeExample(baseUrl, { action: sample.name, body: sample.exampleBody })}
            />
          </div>
        </TestKeyPanel>
      </div>
    </section>
  );
}
