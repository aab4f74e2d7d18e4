import Link from 'next/link';

export default function NotFound() {
  return (
    <main id="main" tabIndex={-1} className="mx-auto max-w-md p-10 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-600">There is nothing here, or it is not yours to see.</p>
      <Link className="mt-6 inline-block text-brand underline" href="/settings">
        Back to settings
      </Link>
    </main>
  );
}
