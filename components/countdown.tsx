'use client';

import { useNow } from './use-now';

function format(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

const clock = (iso: string) => new Date(iso).toISOString().slice(11, 19) + ' UTC';

/**
 * The time to judge by: the browser's ticking clock once hydrated, else the server's clock when
 * it rendered the page. Without JavaScript a reload is the only tick, so what the server decides
 * (a Resend button once its time has come, "expired" once it has) must already be right.
 */
function useClock(renderedAt: string): { now: number; ticking: boolean } {
  const now = useNow();
  return now === null ? { now: new Date(renderedAt).getTime(), ticking: false } : { now, ticking: true };
}

/**
 * "expires in 4:59", ticking. Without JavaScript (and in the first paint) it reads as the
 * absolute time instead, which stays true however long the page sits there.
 */
export function Countdown({ until, running, done, renderedAt }: { until: string; running: string; done: string; renderedAt: string }) {
  const { now, ticking } = useClock(renderedAt);
  const target = new Date(until).getTime();
  if (now >= target) return <span>{done}</span>;
  if (!ticking) return <time dateTime={until}>{`${running} at ${clock(until)}`}</time>;
  return <time dateTime={until}>{`${running} in ${format(target - now)}`}</time>;
}

/** Whether `at` has passed, by the same clock (false when there is no `at`). */
export function useReached(at: string | undefined, renderedAt: string): boolean {
  const { now } = useClock(renderedAt);
  return at !== undefined && now >= new Date(at).getTime();
}

/** Shows its children (a Resend button) only once `at` has passed; before that, when it will. */
export function ShowAfter({
  at,
  waiting,
  renderedAt,
  children,
}: {
  at: string;
  waiting: string;
  renderedAt: string;
  children: React.ReactNode;
}) {
  const { now, ticking } = useClock(renderedAt);
  const target = new Date(at).getTime();
  if (now >= target) return <>{children}</>;
  return <p className="text-sm text-slate-600">{ticking ? `${waiting} in ${format(target - now)}` : `${waiting} at ${clock(at)}`}</p>;
}
