import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { ThemeSwitch } from '@/components/theme-switch';
import { currentTheme } from '@/lib/web/theme';
import { chooseTheme } from '../../theme-actions';
import { anchorOf, baseUrlOf, exampleBodyOf, groupActions, wsUrlOf } from '@/lib/api/docs';
import { API_ACTIONS, findAction } from '@/lib/api/registry';
import { appUrl } from '@/lib/platform/config';
import { PERMISSION_LABELS } from '@/lib/keys/permissions';
import { ActionCard } from './action-card';
import { Overview, Section } from './overview';
import { PermissionsTable } from './permissions-table';
import { CompatibilityTable } from './compatibility-table';
import { SignatureHelper, type HelperAction } from './signature-helper';
import { SigningExamples } from './signing-examples';

export const metadata: Metadata = {
  title: 'API documentation',
  description: 'REST and WebSocket API of Keydesk, wire-compatible with CEX.IO Prime Liquidity.',
};

/**
 * Public and generated from the action registry: adding an action to the registry documents it
 * here, with its params table, examples and a place in the signature helper.
 */
export default async function ApiDocsPage() {
  const h = await headers();
  const baseUrl = baseUrlOf(h.get('host'), h.get('x-forwarded-proto'), appUrl());
  const wsUrl = wsUrlOf(baseUrl);
  const groups = groupActions(API_ACTIONS);
  const signed = API_ACTIONS.filter((a) => a.permission !== null);
  // The signing examples call a read action when there is one: safe to run as they are.
  const sample = signed.find((a) => a.permission === 'read') ?? signed[0];
  const clock = findAction('get_server_time');
  const helperActions: HelperAction[] = signed.map((a) => ({
    name: a.name,
    group: a.permission === null ? 'Public' : PERMISSION_LABELS[a.permission],
    exampleBody: exampleBodyOf(a),
  }));

  const toc = [
    { href: '#overview', label: 'Overview' },
    { href: '#errors', label: 'Errors' },
    { href: '#websocket', label: 'WebSocket' },
    { href: '#signing', label: 'How to sign' },
    { href: '#signature-helper', label: 'Signature helper' },
    { href: '#permissions', label: 'Permissions' },
    { href: '#compatibility', label: 'CEX.IO compatibility' },
    { href: '#actions', label: 'Actions' },
  ];

  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-6 py-3">
          <Link href="/settings/api-keys" className="font-semibold text-slate-900">
            Keydesk <span className="font-normal text-slate-500">· Prime Liquidity</span>
          </Link>
          <div className="flex items-center gap-4">
            <ThemeSwitch current={await currentTheme()} action={chooseTheme} />
            <Link href="/settings/api-keys" className="text-sm text-brand-dark underline">
              Manage API keys
            </Link>
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-6xl gap-8 px-6 py-8">
        <nav aria-label="On this page" className="hidden w-56 shrink-0 lg:block">
          <div className="sticky top-6 max-h-[calc(100vh-3rem)] overflow-y-auto pb-6 text-sm">
            <p className="mb-2 px-3 text-xs font-semibold tracking-wide text-slate-500 uppercase">On this page</p>
            <ul className="space-y-1">
              {toc.map((item) => (
                <li key={item.href}>
                  <a href={item.href} className="block rounded-md px-3 py-1.5 text-slate-700 hover:bg-slate-100">
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
            {groups.map((group) => (
              <div key={group.title} className="mt-4">
                <p className="mb-1 px-3 text-xs font-semibold tracking-wide text-slate-500 uppercase">{group.title}</p>
                <ul className="space-y-0.5">
                  {group.actions.map((a) => (
                    <li key={a.name}>
                      <a
                        href={`#${anchorOf(a.name)}`}
                        className="block truncate rounded-md px-3 py-1 font-mono text-xs text-slate-700 hover:bg-slate-100"
                      >
                        {a.name}
                      </a>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        </nav>

        <main id="main" tabIndex={-1} className="min-w-0 flex-1 space-y-12">
          <div>
            <p className="text-sm font-semibold tracking-wide text-brand-dark">KEYDESK · PRIME LIQUIDITY</p>
            <h1 className="mt-1 text-3xl font-semibold">API documentation</h1>
            <p className="mt-2 text-slate-700">
              {API_ACTIONS.length} actions over signed REST and WebSocket. Create a key under{' '}
              <Link href="/settings/api-keys" className="text-brand-dark underline">
                API Keys Management
              </Link>{' '}
              and give it the permissions of the actions you call.
            </p>
          </div>

          <Overview baseUrl={baseUrl} wsUrl={wsUrl} clockHref={clock ? `#${anchorOf(clock.name)}` : undefined} />

          <Section id="signing" title="How to sign">
            <p>
              Sign the action name, the timestamp and the body as one string, with the secret as the HMAC key. Any change in the body after
              signing (reformatting, a trailing newline) makes the signature fail with 401.
            </p>
            {sample ? (
              <SigningExamples baseUrl={baseUrl} wsUrl={wsUrl} example={{ action: sample.name, body: exampleBodyOf(sample) }} />
            ) : null}
          </Section>

          <Section id="signature-helper" title="Signature helper">
            <p>Paste a key and its secret to compute the headers of one request, and a curl command ready to run.</p>
            <SignatureHelper actions={helperActions} baseUrl={baseUrl} />
          </Section>

          <Section id="permissions" title="Permissions">
            <p>
              A key may call an action only if it holds that action’s permission; otherwise the answer is 403. Public actions need no key.
            </p>
            <PermissionsTable actions={API_ACTIONS} />
          </Section>

          <Section id="compatibility" title="Compatibility with CEX.IO Prime">
            <p>
              Every action keeps its CEX.IO name, parameters and answer, so a bot needs only the base URL changed. Where Keydesk differs,
              this table says how.
            </p>
            <CompatibilityTable />
          </Section>

          <section id="actions" aria-labelledby="actions-title" className="scroll-mt-6">
            <h2 id="actions-title" className="text-xl font-semibold">
              Actions
            </h2>
            {groups.map((group) => (
              <div key={group.title} className="mt-6">
                <h3 className="text-lg font-semibold">{group.permission === null ? 'Public · no key' : `${group.title} permission`}</h3>
                <div className="mt-3 space-y-6">
                  {group.actions.map((a) => (
                    <ActionCard key={a.name} action={a} />
                  ))}
                </div>
              </div>
            ))}
          </section>
        </main>
      </div>
    </div>
  );
}
