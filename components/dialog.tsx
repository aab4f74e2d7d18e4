import { DialogKeys } from './dialog-keys';

/**
 * A modal drawn by the server, so it also works without JavaScript: each step of a flow is its
 * own URL. With JavaScript, Escape leaves through `closeHref` and focus stays inside.
 */
export function Dialog({
  title,
  closeHref,
  children,
  wide,
}: {
  title: string;
  closeHref: string;
  children: React.ReactNode;
  wide?: boolean;
}) {
  return (
    <div className="fixed inset-0 z-40 flex items-start justify-center overflow-y-auto bg-scrim p-4 sm:p-10">
      <section
        role="dialog"
        aria-modal="true"
        aria-labelledby="dialog-title"
        className={`w-full ${wide ? 'max-w-2xl' : 'max-w-lg'} rounded-xl bg-white p-6 shadow-xl`}
      >
        <h2 id="dialog-title" className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        <div className="mt-4">{children}</div>
        <DialogKeys closeHref={closeHref} />
      </section>
    </div>
  );
}
