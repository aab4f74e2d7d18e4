import { CodeBlock } from './code-block';

const ERRORS: { status: number; when: string; example: string }[] = [
  {
    status: 400,
    when: 'Unknown action, malformed JSON body, body over 64 KB, or an X-ON-BEHALF-OF-USER-ID header (sub-user calls are not offered).',
    example: "Unknown action 'get_everything'",
  },
  {
    status: 401,
    when: 'Unknown key, bad signature, timestamp outside ±30 s, key inactive, expired or suspended. The reason is not told apart, on purpose.',
    example: 'Authorization Failed',
  },
  {
    status: 403,
    when: "The key lacks the action's permission, or the caller's IP is not on the key's whitelist.",
    example: "Forbidden: the key lacks the 'trade' permission for do_my_new_order",
  },
  { status: 422, when: 'Params do not match the action’s schema; the message names the field.', example: 'pair: unknown pair' },
  {
    status: 429,
    when: 'More than 300 requests in a minute for this key (REST and WebSocket together). Wait for the Retry-After header’s seconds.',
    example: 'Rate limit exceeded',
  },
  {
    status: 503,
    when: 'A byte-identical retry arrived while the first copy was still running and it did not answer within 5 s. Retry after Retry-After.',
    example: 'The same request is still being processed; retry in a moment',
  },
];

export function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="scroll-mt-6">
      <h2 id={`${id}-title`} className="text-xl font-semibold">
        {title}
      </h2>
      <div className="mt-3 space-y-3 text-sm leading-6 text-slate-700">{children}</div>
    </section>
  );
}

const Code = ({ children }: { children: React.ReactNode }) => (
  // Long JSON and URLs wrap where they must: a phone must not scroll sideways.
  <code className="rounded bg-slate-100 px-1 font-mono text-[0.8125rem] text-slate-900 [overflow-wrap:anywhere]">{children}</code>
);

export function Overview({ baseUrl, wsUrl, clockHref }: { baseUrl: string; wsUrl: string; clockHref?: string }) {
  return (
    <>
      <Section id="overview" title="Overview">
        <p>
          Keydesk speaks the CEX.IO Prime Liquidity wire protocol: bots and client libraries written for that API work by changing only the
          base URL.
        </p>
        <dl className="grid gap-x-4 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium text-slate-900">Base URL</dt>
          <dd>
            <Code>{baseUrl}</Code>
          </dd>
          <dt className="font-medium text-slate-900">Signed actions</dt>
          <dd>
            <Code>
              POST {baseUrl}/api/rest/{'{action}'}
            </Code>
          </dd>
          <dt className="font-medium text-slate-900">Public actions</dt>
          <dd>
            <Code>
              POST {baseUrl}/api/rest-public/{'{action}'}
            </Code>
            , no headers, no key; also signed at <Code>/api/rest/{'{action}'}</Code> with any key (CEX.IO’s private variants)
          </dd>
          <dt className="font-medium text-slate-900">WebSocket</dt>
          <dd>
            <Code>{wsUrl}</Code>
          </dd>
        </dl>
        <p>
          The body is the action’s params as JSON (<Code>{'{}'}</Code> when there are none). A signed request carries three headers:
        </p>
        <ul className="list-disc space-y-1 pl-6">
          <li>
            <Code>X-AGGR-KEY</Code>: the API key.
          </li>
          <li>
            <Code>X-AGGR-TIMESTAMP</Code>: unix time in seconds; it must be within ±30 s of the server’s clock
            {clockHref ? (
              <>
                {' '}
                (check yours with{' '}
                <a className="text-brand-dark underline" href={clockHref}>
                  get_server_time
                </a>
                ).
              </>
            ) : (
              '.'
            )}
          </li>
          <li>
            <Code>X-AGGR-SIGNATURE</Code>: <Code>base64(HMAC-SHA256(secret, action + timestamp + rawBody))</Code>. The secret is used as its
            UTF-8 string (not decoded), and rawBody is the exact bytes you send: sign the string you put on the wire, not a re-serialised
            copy.
          </li>
        </ul>
        <p>
          Every reply is JSON. Success is HTTP 200 with <Code>{'{"ok":"ok","data":…}'}</Code>, where data is the action’s result (see each
          action below).
        </p>
      </Section>

      <Section id="errors" title="Errors">
        <p>
          A refusal is <Code>{'{"error":"…"}'}</Code> with one of these statuses. Checks run in this order: key, signature, timestamp, key
          state, IP whitelist, permission, rate limit; a request refused for its signature or IP does not count against the quota.
        </p>
        <p>
          Retries are safe. Timestamps are whole seconds, so the same call sent twice in a second — or retried after a timeout — carries the
          same bytes and signature: a state-changing request with the signature of one already received inside the ±30 s window is answered
          with that first request’s answer (status and body, a refusal included) and takes no second effect. A new timestamp makes a new
          request.
        </p>
        <div
          role="region"
          aria-label="HTTP statuses of refused requests"
          tabIndex={0}
          className="overflow-x-auto rounded-lg border border-slate-200 bg-white"
        >
          <table className="w-full text-left text-sm">
            <caption className="sr-only">HTTP statuses of refused requests</caption>
            <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Status
                </th>
                <th scope="col" className="px-3 py-2">
                  When
                </th>
                <th scope="col" className="px-3 py-2">
                  Example error
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {ERRORS.map((e) => (
                <tr key={e.status}>
                  <th scope="row" className="px-3 py-2 font-mono">
                    {e.status}
                  </th>
                  <td className="px-3 py-2">{e.when}</td>
                  <td className="px-3 py-2 font-mono text-xs">{e.example}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <Section id="websocket" title="WebSocket">
        <p>
          Connect to <Code>{wsUrl}</Code>. The server greets with <Code>{'{"e":"connected"}'}</Code>; authenticate within 20 s of the
          timestamp you sign:
        </p>
        <CodeBlock
          label="Auth message"
          language="json"
          code={JSON.stringify({
            e: 'auth',
            auth: { key: 'YOUR_API_KEY', signature: 'HEX_SIGNATURE', timestamp: 1732500000 },
            oid: 'auth',
          })}
        />
        <p>
          Here signature is <Code>lowercase hex(HMAC-SHA256(secret, String(timestamp) + key))</Code>; the timestamp is unix seconds and may
          be fractional, and is signed exactly as you send it. The reply is <Code>{'{"e":"auth","ok":"ok","data":{"ok":"ok"}}'}</Code>, or{' '}
          <Code>{'{"e":"auth","data":{"error":"…"}}'}</Code> with <Code>Invalid API key</Code>, <Code>Invalid signature</Code>,{' '}
          <Code>Timestamp is not in 20sec range</Code> or <Code>API key is not activated</Code>.
        </p>
        <p>
          Then send requests as <Code>{'{"e":action,"oid":"…","data":{…}}'}</Code>; replies echo <Code>e</Code> and <Code>oid</Code>:{' '}
          <Code>{'{"e":action,"oid":"…","ok":"ok","data":{…}}'}</Code> or <Code>{'{"e":action,"oid":"…","data":{"error":"…"}}'}</Code>. The
          same permission, IP and rate-limit checks as REST apply to each request. Public actions (<Code>get_server_time</Code>,{' '}
          <Code>get_order_book</Code>, …) are answered too, before auth as well as after, with no key.
        </p>
        <ul className="list-disc space-y-1 pl-6">
          <li>
            <Code>{'{"e":"ping"}'}</Code> is answered with <Code>{'{"e":"pong"}'}</Code>.
          </li>
          <li>
            Market data without a key: <Code>{wsUrl.replace(/\/api\/ws$/, '/api/ws-public')}</Code> answers the public actions and{' '}
            <Code>{'{"e":"order_book_subscribe","oid":"…","data":{"pair":"BTC-USD"}}'}</Code> with the book and a <Code>seqId</Code>;
            changes would follow as <Code>order_book_increment</Code> with the next seqId (the demo book does not move).
          </li>
          <li>
            After auth the server pushes <Code>account_update</Code> (balance changes: <Code>accountId</Code>, <Code>clientId</Code>,{' '}
            <Code>currency</Code>, <Code>balance</Code>, <Code>onHoldBalance</Code>, <Code>timestamp</Code>, and what caused it as{' '}
            <Code>action</Code> — trade, orderHold, orderCancel, internalTransfer, walletDeposit, walletWithdrawal, withdrawal — with the
            order or funding <Code>id</Code>) and <Code>executionReport</Code> (order changes; a market order is reported New, then Trade)
            for the key’s account.
          </li>
          <li>
            A connection with no message for 60 s is closed with <Code>{'{"e":"disconnected"}'}</Code>: ping to keep it open.
          </li>
          <li>
            An unknown <Code>e</Code> gets an error reply, then <Code>{'{"e":"disconnected"}'}</Code> and the socket closes. A message over
            64 KB closes it too.
          </li>
          <li>Deactivating, suspending or deleting the key closes its open connections at once.</li>
        </ul>
      </Section>
    </>
  );
}
