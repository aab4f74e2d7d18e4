/** How many results the filters match, announced to screen readers when it changes. */
export function ResultCount({ text }: { text: string }) {
  return (
    <p role="status" className="mt-4 text-sm text-slate-700">
      {text}
    </p>
  );
}
