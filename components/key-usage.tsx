import type { KeyUsage } from '@/db/queries/key-usage';
import { explainRefusal, isRefusalReason, REFUSAL_LABELS } from '@/lib/api/refusals';
import { shortMinute, utcSecond } from '@/lib/platform/utc-time';
import { UsageChart } from './usage-chart';

const count = (n: number) => n.toLocaleString('en-US');
const TRANSPORTS = { rest: 'REST', ws: 'WebSocket' } as const;

function Subheading({ children }: { children: React.ReactNode }) {
  return <h3 className="mt-6 text-base font-semibold">{children}</h3>;
}

function Empty({ children }: { children: React.ReactNode }) {
  return <p className="mt-2 text-sm text-slate-600">{children}</p>;
}

/** A table that scrolls sideways on a phone, reachable from the keyboard. */
function Scroll({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div tabIndex={0} role="region" aria-label={label} className="mt-2 overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">{children}</table>
    </div>
  );
}

const th = 'px-4 py-2';

function CountHeaders() {
  return (
    <>
      <th scope="col" className={`${th} text-right`}>
        Accepted
      </th>
      <th scope="col" className={`${th} text-right`}>
        Refused
      </th>
    </>
  );
}

function CountCells({ counts }: { counts: { accepted: number; refused: number } }) {
  return (
    <>
      <td className={`${th} text-right tabular-nums`}>{count(counts.accepted)}</td>
      <td className={`${th} text-right tabular-nums`}>{count(counts.refused)}</td>
    </>
  );
}

/**
 * How a key was used (owner and admin key pages): calls per hour over 7 days, by action, the
 * addresses it came from, and its recent refused calls, each explained with its fix
 * (lib/api/refusals.ts). Server-rendered; works without JavaScript.
 */
export function KeyUsageReport({ usage, now }: { usage: KeyUsage; now: Date }) {
  return (
    <section aria-labelledby="key-usage-heading">
      <h2 id="key-usage-heading" className="mt-8 text-lg font-semibold">
        Usage
      </h2>
      <Subheading>Calls per hour, last 7 days</Subheading>
      <UsageChart hours={usage.hours} now={now} />
      {usage.refusedBy.length ? (
        <p className="mt-2 text-sm text-slate-700">
          Refused by reason:{' '}
          {usage.refusedBy
            .map(({ reason, calls }) => `${isRefusalReason(reason) ? REFUSAL_LABELS[reason] : reason} ${count(calls)}`)
            .join(' · ')}
        </p>
      ) : null}

      <Subheading>Recent refused calls</Subheading>
      {usage.refusals.length === 0 ? (
        <Empty>No refused calls in the last 7 days.</Empty>
      ) : (
        <ol
          className="mt-2 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white"
          aria-label="Recent refused calls, newest first"
        >
          {usage.refusals.map((refusal, i) => {
            const { what, fix } = explainRefusal(refusal);
            return (
              <li key={i} className="px-4 py-3 text-sm">
                <p className="text-xs text-slate-600">
                  {utcSecond(refusal.at)} · {refusal.address ?? 'unknown address'} · <span className="font-mono">{refusal.action}</span> (
                  {TRANSPORTS[refusal.transport] ?? refusal.transport})
                </p>
                <p className="mt-1">
                  <span className="font-medium text-red-800">{what}</span>: {fix}
                </p>
              </li>
            );
          })}
        </ol>
      )}

      <Subheading>Calls by action, last 7 days</Subheading>
      {usage.actions.length === 0 ? (
        <Empty>No calls in the last 7 days.</Empty>
      ) : (
        <Scroll label="Calls by action">
          <caption className="sr-only">Calls by action, last 7 days</caption>
          <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
            <tr>
              <th scope="col" className={th}>
                Action
              </th>
              <CountHeaders />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {usage.actions.map((a) => (
              <tr key={a.action}>
                <th scope="row" className={`${th} font-mono text-xs font-normal`}>
                  {a.action}
                </th>
                <CountCells counts={a} />
              </tr>
            ))}
          </tbody>
        </Scroll>
      )}

      <Subheading>Addresses</Subheading>
      {usage.addresses.length === 0 ? (
        <Empty>No address has used this key yet.</Empty>
      ) : (
        <Scroll label="Addresses that used this key">
          <caption className="sr-only">Addresses that used this key, most recent first</caption>
          <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
            <tr>
              <th scope="col" className={th}>
                Address
              </th>
              <th scope="col" className={th}>
                First seen (UTC)
              </th>
              <th scope="col" className={th}>
                Last seen (UTC)
              </th>
              <CountHeaders />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {usage.addresses.map((a) => (
              <tr key={a.address}>
                <th scope="row" className={`${th} font-mono text-xs font-normal`}>
                  {a.address}
                </th>
                <td className={`${th} whitespace-nowrap`}>{shortMinute(a.firstSeenAt)}</td>
                <td className={`${th} whitespace-nowrap`}>{shortMinute(a.lastSeenAt)}</td>
                <CountCells counts={a} />
              </tr>
            ))}
          </tbody>
        </Scroll>
      )}
      <p className="mt-2 text-xs text-slate-600">Counts reach this page within seconds of the call. As of {shortMinute(now)} UTC.</p>
    </section>
  );
}
