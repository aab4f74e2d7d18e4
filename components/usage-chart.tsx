import type { UsageHour } from '@/db/queries/key-usage';

const HOUR_MS = 3_600_000;
const DAYS = 7;
const SLOTS = DAYS * 24;
const SLOT_WIDTH = 6;
const HEIGHT = 100;

interface Slot {
  start: Date;
  accepted: number;
  refused: number;
}

/** The 168 hours ending with the current one, oldest first, empty hours included. */
function slotsOf(hours: UsageHour[], now: Date): Slot[] {
  const last = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const byStart = new Map(hours.map((h) => [h.hour.getTime(), h]));
  return Array.from({ length: SLOTS }, (_, i) => {
    const start = last - (SLOTS - 1 - i) * HOUR_MS;
    const hour = byStart.get(start);
    return { start: new Date(start), accepted: hour?.accepted ?? 0, refused: hour?.refused ?? 0 };
  });
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const hourText = (d: Date) => `${d.toISOString().slice(0, 13).replace('T', ' ')}:00 UTC`;
const count = (n: number) => n.toLocaleString('en-US');

/**
 * Calls per hour over the last 7 days, accepted and refused stacked: an SVG drawn on the server
 * (no chart library, nothing to load), described in words for a screen reader, with the same
 * figures per day in a table.
 */
export function UsageChart({ hours, now }: { hours: UsageHour[]; now: Date }) {
  const slots = slotsOf(hours, now);
  const peak = Math.max(1, ...slots.map((s) => s.accepted + s.refused));
  const accepted = slots.reduce((n, s) => n + s.accepted, 0);
  const refused = slots.reduce((n, s) => n + s.refused, 0);
  const busiest = slots.reduce((best, s) => (s.accepted + s.refused > best.accepted + best.refused ? s : best), slots[0]);
  // By UTC date: the window ends with the current hour, so its first and last dates are partial.
  const days: { label: string; accepted: number; refused: number }[] = [];
  for (const s of slots) {
    const label = day(s.start);
    if (days.at(-1)?.label !== label) days.push({ label, accepted: 0, refused: 0 });
    days[days.length - 1].accepted += s.accepted;
    days[days.length - 1].refused += s.refused;
  }
  const summary =
    accepted + refused === 0
      ? 'No calls in the last 7 days.'
      : `${count(accepted + refused)} calls in the last 7 days: ${count(accepted)} accepted, ${count(refused)} refused. ` +
        `Busiest hour: ${hourText(busiest.start)}, with ${count(busiest.accepted + busiest.refused)} calls.`;
  return (
    <figure className="mt-3 rounded-xl border border-slate-200 bg-white p-4">
      <figcaption className="text-sm text-slate-700">{summary}</figcaption>
      {accepted + refused > 0 ? (
        <>
          <svg
            viewBox={`0 0 ${SLOTS * SLOT_WIDTH} ${HEIGHT}`}
            preserveAspectRatio="none"
            className="mt-3 h-28 w-full"
            aria-hidden="true"
            focusable="false"
          >
            {slots.map((s, i) =>
              i > 0 && s.start.getUTCHours() === 0 ? (
                <line key={i} x1={i * SLOT_WIDTH} x2={i * SLOT_WIDTH} y1={0} y2={HEIGHT} className="stroke-slate-200" strokeWidth={1} />
              ) : null,
            )}
            {slots.map((s, i) => {
              const acceptedHeight = (s.accepted / peak) * HEIGHT;
              const refusedHeight = (s.refused / peak) * HEIGHT;
              const x = i * SLOT_WIDTH + 0.5;
              return (
                <g key={i}>
                  {s.accepted ? (
                    <rect x={x} width={SLOT_WIDTH - 1} y={HEIGHT - acceptedHeight} height={acceptedHeight} className="fill-brand" />
                  ) : null}
                  {s.refused ? (
                    <rect
                      x={x}
                      width={SLOT_WIDTH - 1}
                      y={HEIGHT - acceptedHeight - refusedHeight}
                      height={refusedHeight}
                      className="fill-red-600"
                    />
                  ) : null}
                </g>
              );
            })}
          </svg>
          <div className="mt-1 flex justify-between text-xs text-slate-600" aria-hidden="true">
            <span>{hourText(slots[0].start)}</span>
            <span>peak {count(peak)} per hour · a line at each midnight UTC</span>
            <span>now</span>
          </div>
          <p className="mt-2 flex gap-4 text-xs text-slate-700" aria-hidden="true">
            <span className="flex items-center gap-1">
              <span className="inline-block size-3 rounded-sm bg-brand" /> Accepted
            </span>
            <span className="flex items-center gap-1">
              <span className="inline-block size-3 rounded-sm bg-red-600" /> Refused
            </span>
          </p>
          <details className="mt-3 text-sm">
            <summary className="cursor-pointer text-brand">Calls per day (table)</summary>
            <table className="mt-2 w-full text-left text-sm">
              <caption className="sr-only">Calls per day (UTC) over the last 7 days; the first and last days are partial</caption>
              <thead className="text-xs text-slate-600 uppercase">
                <tr>
                  <th scope="col" className="py-1 pr-4">
                    Day (UTC)
                  </th>
                  <th scope="col" className="py-1 pr-4 text-right">
                    Accepted
                  </th>
                  <th scope="col" className="py-1 text-right">
                    Refused
                  </th>
                </tr>
              </thead>
              <tbody>
                {days.map((d) => (
                  <tr key={d.label}>
                    <th scope="row" className="py-1 pr-4 font-normal">
                      {d.label}
                    </th>
                    <td className="py-1 pr-4 text-right tabular-nums">{count(d.accepted)}</td>
                    <td className="py-1 text-right tabular-nums">{count(d.refused)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      ) : null}
    </figure>
  );
}
