'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';

/**
 * What a page shows when its server work failed — most often the database being unreachable for
 * a moment (requests to it fail within seconds rather than hang). The details stay in the server's
 * log; the person gets a way to try again.
 */
export default function PageError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [retrying, startRetry] = useTransition();
  // The failure was the server's: fetch the page again from it, then leave the error state.
  const retry = () =>
    startRetry(() => {
      router.refresh();
      reset();
    });
  return (
    <main id="main" tabIndex={-1} className="mx-auto max-w-md p-10 text-center">
      <h1 className="text-2xl font-semibold">Keydesk is briefly unavailable</h1>
      <p className="mt-2 text-slate-600">
        This page could not be loaded just now. Nothing you submitted is lost: try again in a few seconds.
      </p>
      <div className="mt-6 flex justify-center gap-4">
        <button
          type="button"
          onClick={retry}
          disabled={retrying}
          className="rounded-md bg-brand px-4 py-2 font-semibold text-white disabled:opacity-60"
        >
          Try again
        </button>
        <Link className="inline-block self-center text-brand underline" href="/settings">
          Back to settings
        </Link>
      </div>
    </main>
  );
}
