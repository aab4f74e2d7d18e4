import Link from 'next/link';

/** A way out of setting up a second factor: back to Security, still on the way to `returnTo`. */
export function SetupCancel({ returnTo }: { returnTo: string }) {
  const query = returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : '';
  return (
    <p className="mt-8 border-t border-slate-200 pt-4 text-sm">
      <Link className="font-medium text-brand-dark underline" href={`/settings/security${query}`}>
        Cancel and go back to Security
      </Link>
    </p>
  );
}
