import type { ApiAction } from '@/lib/api/action';
import { anchorOf, describeParams, exampleBodyOf, restPathOf, wsExamplesOf } from '@/lib/api/docs';
import { PERMISSION_LABELS } from '@/lib/keys/permissions';
import { CodeBlock, json } from './code-block';
import { ParamsTable } from './params-table';

export function PermissionBadge({ permission }: { permission: ApiAction['permission'] }) {
  return permission === null ? (
    <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-800">Public</span>
  ) : (
    <span className="rounded-full bg-brand/10 px-2 py-0.5 text-xs font-semibold text-brand-dark">{PERMISSION_LABELS[permission]}</span>
  );
}

/** One registry entry: everything a client needs to call it over REST and WebSocket. */
export function ActionCard({ action }: { action: ApiAction }) {
  const id = anchorOf(action.name);
  const ws = wsExamplesOf(action);
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="scroll-mt-6 rounded-xl border border-slate-200 bg-white p-4 sm:p-6">
      <div className="flex flex-wrap items-center gap-2">
        <h4 id={`${id}-title`} className="font-mono text-base font-semibold break-all">
          <a href={`#${id}`} className="hover:underline">
            {action.name}
          </a>
        </h4>
        <PermissionBadge permission={action.permission} />
        {action.mutating ? (
          <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900">
            Changes state · replay-protected
          </span>
        ) : null}
      </div>
      <p className="mt-2 text-sm text-slate-700">{action.summary}</p>
      <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-slate-600">REST</dt>
        <dd className="font-mono text-xs leading-5 break-all">POST {restPathOf(action)}</dd>
        <dt className="font-medium text-slate-600">WebSocket</dt>
        <dd className="text-xs leading-5">
          <code className="font-mono">{`{"e":"${action.name}"}`}</code>
          {action.permission === null ? ' on /api/ws-public (no key) or /api/ws' : null}
        </dd>
        <dt className="font-medium text-slate-600">Permission</dt>
        <dd className="text-xs leading-5">
          {action.permission === null
            ? 'None at /api/rest-public. Signed at /api/rest with any key (every key can Read), as CEX.IO’s private variant.'
            : `${PERMISSION_LABELS[action.permission]} (${action.permission})`}
        </dd>
      </dl>
      <h5 className="mt-4 text-sm font-semibold">Parameters</h5>
      <ParamsTable action={action.name} params={describeParams(action.params)} />
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <CodeBlock label="REST request body" language="json" code={exampleBodyOf(action)} />
        <CodeBlock label="REST response · 200" language="json" code={json({ ok: 'ok', data: action.exampleResponse })} />
        <CodeBlock label="WebSocket request" language="json" code={json(ws.request)} />
        <CodeBlock label="WebSocket reply" language="json" code={json(ws.response)} />
      </div>
    </section>
  );
}
