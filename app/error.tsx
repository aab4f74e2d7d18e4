'use client';

import Link from 'next/link';

/**
 * What a page shows when its server work failed — most often the database being unreachable for
 * a moment (requests to it fail within seconds rather than hang). The details stay in the server's
 * log; the person gets a way to try again.
 */
export default function PageError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-md p-10 text-center">
      <h1 className="text-2xl font-semibold">Keydesk is briefly unavailable</h1>
      <p className="mt-2 text-slate-600">
        This page could not be loaded just now. Nothing you submitted is lost: try again in a few seconds.
      </p>
      <div className="mt-6 flex justify-center gap-4">
        <button type="button" onClick={reset} className="rounded-md bg-brand px-4 py-2 font-semibold text-white">
          Try again
        </button>
        <Link className="inline-block self-center text-brand underline" href="/settings">
          Back to settings
        </Link>
      </div>
    </main>
  );
}
