import { ButtonLink } from '@/components/button-link';

/** An admin step's dialog when the step does not apply (already done, or not allowed): why, and Close. */
export function StepRefusal({ message, closeHref }: { message: string; closeHref: string }) {
  return (
    <>
      <p className="text-sm text-slate-700">{message}</p>
      <div className="mt-6 flex justify-end">
        <ButtonLink href={closeHref} variant="secondary">
          Close
        </ButtonLink>
      </div>
    </>
  );
}
