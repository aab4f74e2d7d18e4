import Link from 'next/link';

const linkClass = 'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-semibold text-slate-800 hover:bg-slate-100';
const offClass = 'rounded-md border border-slate-200 px-3 py-1.5 text-sm text-slate-400';

/** "Previous" and "Next" as plain links (keyset cursors in the URL): no page numbers, no counting. */
export function Pager({ prevHref, nextHref, label }: { prevHref: string | null; nextHref: string | null; label: string }) {
  if (!prevHref && !nextHref) return null;
  return (
    <nav aria-label={label} className="mt-4 flex justify-between">
      {prevHref ? (
        <Link href={prevHref} prefetch={false} rel="prev" className={linkClass}>
          ← Previous
        </Link>
      ) : (
        <span aria-disabled="true" className={offClass}>
          ← Previous
        </span>
      )}
      {nextHref ? (
        <Link href={nextHref} prefetch={false} rel="next" className={linkClass}>
          Next →
        </Link>
      ) : (
        <span aria-disabled="true" className={offClass}>
          Next →
        </span>
      )}
    </nav>
  );
}
