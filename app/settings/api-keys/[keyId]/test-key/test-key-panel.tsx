'use client';

import { useState } from 'react';
import { Result as CopyableCode } from '@/app/docs/api/signature-helper';
import { TextArea, TextField } from '@/components/field';
import { useHydrated } from '@/components/use-hydrated';
import { explainStatus, signRequest, type SignedRequest } from './signed-request';

export interface TestAction {
  name: string;
  /** The permission it needs, in words ("Read", "Trade"…). */
  permission: string;
  /** This key holds that permission. */
  allowed: boolean;
  /** It changes the account (orders, transfers…). */
  mutating: boolean;
  exampleBody: string;
}

interface Answer {
  status: number;
  text: string;
  ms: number;
}

const pretty = (text: string) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

const optionLabel = (a: TestAction) =>
  `${a.name} (${a.permission}${a.allowed ? '' : ', this key lacks it'}${a.mutating ? ', changes your account' : ''})`;

/**
 * Signs one call in this browser (Web Crypto) and sends it from here to the API. The secret
 * lives only in this component's state: it is not in a form that could be submitted, not in the
 * URL, not stored; the server sees the signature the API call carries, as from any client.
 * Without JavaScript (before hydration) the server-rendered `children` show templates instead.
 */
export function TestKeyPanel({
  publicKey,
  baseUrl,
  actions,
  children,
}: {
  publicKey: string;
  baseUrl: string;
  actions: TestAction[];
  children: React.ReactNode;
}) {
  const hydrated = useHydrated();
  const initial = actions.find((a) => a.allowed && !a.mutating) ?? actions[0];
  const [action, setAction] = useState(initial?.name ?? '');
  const [body, setBody] = useState(initial?.exampleBody ?? '{}');
  const [secret, setSecret] = useState('');
  const [signed, setSigned] = useState<SignedRequest | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  if (!hydrated) return <>{children}</>;
  const chosen = actions.find((a) => a.name === action);

  function choose(name: string) {
    const next = actions.find((a) => a.name === name);
    // Load the new example unless the body was edited by hand.
    if (next && body === chosen?.exampleBody) setBody(next.exampleBody);
    setAction(name);
  }

  async function send(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError('');
    setAnswer(null);
    setSigned(null);
    try {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const request = await signRequest({ baseUrl, publicKey, secret: secret.trim(), action, body, timestamp });
      setSigned(request);
      const started = performance.now();
      const res = await fetch(request.path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...request.headers },
        body: request.body,
        credentials: 'omit',
        cache: 'no-store',
      });
      setAnswer({ status: res.status, text: await res.text(), ms: Math.round(performance.now() - started) });
    } catch (e) {
      setError(
        e instanceof Error && e.message.startsWith('Web Crypto')
          ? e.message
          : 'The call could not be made from this browser (network error). Check your connection and try again.',
      );
    } finally {
      setBusy(false);
    }
  }

  const explanation = answer ? explainStatus(answer.status) : null;
  return (
    <div className="space-y-4">
      <form onSubmit={send} className="grid gap-4 md:grid-cols-2">
        <div>
          <label htmlFor="test-action" className="block text-sm font-medium text-slate-800">
            Action
          </label>
          <select
            id="test-action"
            value={action}
            onChange={(e) => choose(e.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm focus:border-brand"
          >
            {actions.map((a) => (
              <option key={a.name} value={a.name}>
                {optionLabel(a)}
              </option>
            ))}
          </select>
          {chosen?.mutating ? (
            <p className="mt-1 text-xs text-amber-900">This action changes your account for real (the ledger is not a sandbox).</p>
          ) : null}
        </div>
        <TextField
          label="API secret"
          name="test-secret"
          type="password"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          required
          hint="Stays in this browser: it only computes the signature; the request below carries the signature, never the secret."
        />
        <div className="md:col-span-2">
          <TextArea
            label="Body (JSON, sent exactly as typed)"
            name="test-body"
            value={body}
            onChange={(e) => setBody(e.target.value)}
            rows={3}
            spellCheck={false}
          />
        </div>
        <div className="md:col-span-2">
          <button
            type="submit"
            disabled={busy}
            className="inline-flex items-center justify-center rounded-md bg-brand px-4 py-2 text-sm font-semibold text-white hover:bg-brand-dark disabled:opacity-60"
          >
            {busy ? 'Sending…' : 'Sign and send'}
          </button>
        </div>
      </form>

      {error ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}

      <div role="status" aria-live="polite">
        {answer ? (
          <div className="space-y-2">
            <h3 className="text-sm font-semibold">
              Response: HTTP {answer.status} <span className="font-normal text-slate-600">in {answer.ms} ms</span>
            </h3>
            {explanation ? <p className="text-sm text-slate-800">{explanation}</p> : null}
            <pre
              tabIndex={0}
              aria-label="Response body"
              className="max-h-80 overflow-auto rounded-lg bg-code-bg p-4 font-mono text-xs leading-relaxed whitespace-pre text-code-fg"
            >
              <code>{pretty(answer.text)}</code>
            </pre>
          </div>
        ) : null}
      </div>

      {signed ? (
        <div className="space-y-4">
          <CopyableCode title="The same request as curl (valid for 30 s)" value={signed.curl} copyLabel="Copy curl command" />
          <CopyableCode title="The same request as Node code (valid for 30 s)" value={signed.node} copyLabel="Copy Node code" />
        </div>
      ) : null}
    </div>
  );
}
