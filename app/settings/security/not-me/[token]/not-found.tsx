import Link from 'next/link';

/** A made-up token, a mistyped link, or someone else's link: one answer for all, revealing nothing. */
export default function NotMeLinkNotFound() {
  return (
    <section className="mx-auto max-w-lg rounded-xl border border-slate-200 bg-white p-6 sm:p-8">
      <h1 className="text-2xl font-semibold">This link is not valid</h1>
      <p className="mt-4 text-sm text-slate-700">
        “This wasn’t me” links work once, for 24 hours, and only for the person the security email was sent to, signed in as themselves.
        Check that you are signed in to the right account, or use <strong>Deactivate all keys</strong> in API Keys Management.
      </p>
      <Link className="mt-6 inline-block text-sm text-brand underline" href="/settings">
        Back to settings
      </Link>
    </section>
  );
}
