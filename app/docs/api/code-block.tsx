/** A labelled, scrollable code sample. Focusable so a keyboard user can scroll a long line. */
export function CodeBlock({ label, code, language }: { label: string; code: string; language?: string }) {
  return (
    <figure className="min-w-0">
      <figcaption className="mb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">{label}</figcaption>
      <pre
        tabIndex={0}
        data-language={language}
        className="overflow-x-auto rounded-lg bg-code-bg p-4 font-mono text-xs leading-relaxed text-code-fg"
      >
        <code>{code}</code>
      </pre>
    </figure>
  );
}

export const json = (value: unknown) => JSON.stringify(value, null, 2);
