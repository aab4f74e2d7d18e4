import Link from 'next/link';

/** A bad URL parameter is the person's (or a stale link's) mistake: say which, offer a way back. */
export function ParamErrors({ errors, resetHref }: { errors: string[]; resetHref: string }) {
  return (
    <div role="alert" className="mt-6 rounded-xl border border-red-200 bg-red-50 p-5 text-sm text-red-900">
      <p className="font-semibold">These filters cannot be used:</p>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        {errors.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
      <Link href={resetHref} className="mt-3 inline-block text-brand underline">
        Clear the filters
      </Link>
    </div>
  );
}
