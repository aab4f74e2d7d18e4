'use client';

import { useEffect, useState } from 'react';
import { CopyButton } from '@/components/copy-button';
import { TextArea, TextField } from '@/components/field';
import { curlCommand, signRest, signWsAuth } from './web-signing';

export interface HelperAction {
  name: string;
  group: string;
  exampleBody: string;
}

interface Signed {
  action: string;
  headers: Record<string, string>;
  curl: string;
  wsAuth: string;
  bodyIsJson: boolean;
}

const nowSeconds = () => String(Math.floor(Date.now() / 1000));

/**
 * Computes the request headers in this browser tab with Web Crypto. Nothing here sends, logs or
 * stores what is typed: the secret only ever reaches crypto.subtle and is gone with the tab.
 */
export function SignatureHelper({ actions, baseUrl }: { actions: HelperAction[]; baseUrl: string }) {
  const [key, setKey] = useState('');
  const [secret, setSecret] = useState('');
  const [action, setAction] = useState(actions[0]?.name ?? '');
  const [body, setBody] = useState(actions[0]?.exampleBody ?? '{}');
  const [timestamp, setTimestamp] = useState('');
  const [signed, setSigned] = useState<Signed | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  // Set once after hydration, then the person's to edit: a clock read during render would
  // differ between server and browser, and a ticking value would change what they typed.
  // eslint-disable-next-line react-hooks/set-state-in-effect
  useEffect(() => setTimestamp(nowSeconds()), []);

  const groups = [...new Set(actions.map((a) => a.group))];

  // A result no longer matches edited inputs: drop it rather than let a stale header be copied.
  function edit<T>(set: (v: T) => void) {
    return (value: T) => {
      set(value);
      setSigned(null);
      setStatus('');
      setError('');
    };
  }

  function chooseAction(name: string) {
    const previous = actions.find((a) => a.name === action);
    const next = actions.find((a) => a.name === name);
    // Load the new example unless the body was edited by hand.
    if (next && (body.trim() === '' || body === previous?.exampleBody)) setBody(next.exampleBody);
    edit(setAction)(name);
  }

  async function sign(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSigned(null);
    if (!/^\d{1,12}$/.test(timestamp)) {
      setError('The timestamp must be unix seconds, digits only.');
      setStatus('');
      return;
    }
    try {
      const signature = await signRest(secret, action, timestamp, body);
      const headers = { 'X-AGGR-KEY': key, 'X-AGGR-TIMESTAMP': timestamp, 'X-AGGR-SIGNATURE': signature };
      const wsSignature = await signWsAuth(secret, Number(timestamp), key);
      let bodyIsJson = true;
      try {
        JSON.parse(body);
      } catch {
        bodyIsJson = false;
      }
      setSigned({
        action,
        headers,
        curl: curlCommand(`${baseUrl}/api/rest/${action}`, headers, body),
        wsAuth: JSON.stringify({ e: 'auth', auth: { key, signature: wsSignature, timestamp: Number(timestamp) }, oid: 'auth' }),
        bodyIsJson,
      });
      setError('');
      const age = Math.floor(Date.now() / 1000) - Number(timestamp);
      setStatus(
        `Signed ${action} at timestamp ${timestamp}. ` +
          (Math.abs(age) > 30
            ? `That timestamp is ${Math.abs(age)} s ${age > 0 ? 'old' : 'ahead'}: the server accepts ±30 s, press Now and sign again.`
            : 'Send it within 30 seconds.'),
      );
    } catch (e) {
      setStatus('');
      setError(
        e instanceof Error && e.message.startsWith('Web Crypto') ? e.message : 'The signature could not be computed. Check the secret.',
      );
    }
  }

  return (
    <div className="rounded-xl border border-slate-200 bg-white p-6">
      <form onSubmit={sign} className="grid gap-4 md:grid-cols-2">
        <TextField
          label="API key"
          name="sig-key"
          value={key}
          onChange={(e) => edit(setKey)(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          required
        />
        <TextField
          label="API secret"
          name="sig-secret"
          type="password"
          value={secret}
          onChange={(e) => edit(setSecret)(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          required
          hint="Stays in this page: the signature is computed in your browser, nothing is sent over the network or stored."
        />
        <div>
          <label htmlFor="sig-action" className="block text-sm font-medium text-slate-800">
            Action
          </label>
          <select
            id="sig-action"
            value={action}
            onChange={(e) => chooseAction(e.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm focus:border-brand"
          >
            {groups.map((group) => (
              <optgroup key={group} label={group}>
                {actions
                  .filter((a) => a.group === group)
                  .map((a) => (
                    <option key={a.name} value={a.name}>
                      {a.name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div>
          <div className="flex items-end gap-2">
            <div className="flex-1">
              <TextField
                label="Timestamp (unix seconds)"
                name="sig-timestamp"
                value={timestamp}
                onChange={(e) => edit(setTimestamp)(e.target.value.trim())}
                inputMode="numeric"
                autoComplete="off"
                required
              />
            </div>
            <button
              type="button"
              onClick={() => edit(setTimestamp)(nowSeconds())}
              className="mb-px rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-100"
            >
              Now<span className="sr-only"> (set the timestamp to the current time)</span>
            </button>
          </div>
        </div>
        <div className="md:col-span-2">
          <TextArea
            label="Body (the exact bytes to send)"
            name="sig-body"
            value={body}
            onChange={(e) => edit(setBody)(e.target.value)}
            rows={4}
            spellCheck={false}
            hint="Choosing another action loads its example unless you edited the body. Spaces and newlines count: sign what you send."
          />
        </div>
        <div className="md:col-span-2">
          <button
            type="submit"
            className="inline-flex items-center justify-center rounded-md bg-brand px-4 py-2 text-sm font-semibold text-white hover:bg-brand-dark"
          >
            Compute headers
          </button>
        </div>
      </form>

      <div role="status" aria-live="polite" className="mt-4 text-sm">
        {status ? <p className="text-slate-800">{status}</p> : null}
        {signed && !signed.bodyIsJson ? (
          <p className="mt-1 text-amber-900">The body is not valid JSON: the server will answer 400.</p>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}

      {signed ? (
        <div className="mt-4 space-y-4">
          <h3 className="text-sm font-semibold">Headers for {signed.action}</h3>
          <dl className="divide-y divide-slate-200 rounded-lg border border-slate-200">
            {Object.entries(signed.headers).map(([name, value]) => (
              <div key={name} className="flex flex-wrap items-center gap-3 px-3 py-2">
                <dt className="w-44 font-mono text-xs font-semibold">{name}</dt>
                <dd className="min-w-0 flex-1 font-mono text-xs break-all">{value || '(empty)'}</dd>
                <dd>
                  <CopyButton value={value} label={`Copy ${name}`} />
                </dd>
              </div>
            ))}
          </dl>
          <Result title="curl command" value={signed.curl} copyLabel="Copy curl command" />
          <Result
            title="WebSocket auth message (same key, secret and timestamp; 20 s window)"
            value={signed.wsAuth}
            copyLabel="Copy WebSocket auth message"
          />
        </div>
      ) : null}
    </div>
  );
}

/** A titled code block with its copy button (also used by Test this key on a key's page). */
export function Result({ title, value, copyLabel }: { title: string; value: string; copyLabel: string }) {
  return (
    <div>
      <div className="mb-1 flex items-center justify-between gap-3">
        <h3 className="text-sm font-semibold">{title}</h3>
        <CopyButton value={value} label={copyLabel} />
      </div>
      <pre tabIndex={0} className="overflow-x-auto rounded-lg bg-code-bg p-4 font-mono text-xs leading-relaxed whitespace-pre text-code-fg">
        <code>{value}</code>
      </pre>
    </div>
  );
}
