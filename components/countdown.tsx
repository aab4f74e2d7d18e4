'use client';

import { useNow } from './use-now';

function format(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

const clock = (iso: string) => new Date(iso).toISOString().slice(11, 19) + ' UTC';

/**
 * "expires in 4:59", ticking. Without JavaScript (and in the first paint) it reads as the
 * absolute time instead, which stays true however long the page sits there.
 */
export function Countdown({ until, running, done }: { until: string; running: string; done: string }) {
  const now = useNow();
  const target = new Date(until).getTime();
  if (now === null) return <time dateTime={until}>{`${running} at ${clock(until)}`}</time>;
  if (now >= target) return <span>{done}</span>;
  return <time dateTime={until}>{`${running} in ${format(target - now)}`}</time>;
}

/** Shows its children (a Resend button) only once `at` has passed; before that, when it will. */
export function ShowAfter({ at, waiting, children }: { at: string; waiting: string; children: React.ReactNode }) {
  const now = useNow();
  const target = new Date(at).getTime();
  if (now !== null && now >= target) return <>{children}</>;
  return <p className="text-sm text-slate-600">{now === null ? `${waiting} at ${clock(at)}` : `${waiting} in ${format(target - now)}`}</p>;
}
