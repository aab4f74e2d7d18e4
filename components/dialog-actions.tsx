import { ButtonLink } from './button-link';

/**
 * The foot of every dialog, the same everywhere: Cancel (leaving through `cancelHref`, nothing
 * done) and then the primary action, right-aligned. A dialog with nothing left to do passes no
 * action and labels the way out "Close".
 */
export function DialogActions({
  cancelHref,
  cancelLabel = 'Cancel',
  children,
}: {
  cancelHref: string;
  cancelLabel?: 'Cancel' | 'Close';
  children?: React.ReactNode;
}) {
  return (
    <div className="mt-6 flex flex-wrap justify-end gap-3">
      <ButtonLink href={cancelHref} variant="secondary">
        {cancelLabel}
      </ButtonLink>
      {children}
    </div>
  );
}
