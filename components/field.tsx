import type { InputHTMLAttributes, TextareaHTMLAttributes } from 'react';

type Common = { label: string; name: string; error?: string; hint?: React.ReactNode };

const inputClass = 'mt-1 block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:border-brand aria-[invalid=true]:border-red-600';

function Help({ name, error, hint }: { name: string; error?: string; hint?: React.ReactNode }) {
  return (
    <>
      {hint ? (
        <p id={`${name}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${name}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </>
  );
}

const describedBy = (name: string, error?: string, hint?: React.ReactNode) =>
  [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(' ') || undefined;

/** A labelled input whose error sits right under it and is announced with it. */
export function TextField({ label, name, error, hint, ...props }: Common & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div>
      <label htmlFor={name} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={name}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, error, hint)}
        className={`${inputClass} border-slate-300`}
        {...props}
      />
      <Help name={name} error={error} hint={hint} />
    </div>
  );
}

export function TextArea({ label, name, error, hint, ...props }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <div>
      <label htmlFor={name} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <textarea
        id={name}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, error, hint)}
        className={`${inputClass} border-slate-300 font-mono`}
        {...props}
      />
      <Help name={name} error={error} hint={hint} />
    </div>
  );
}

export function FormAlert({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </p>
  );
}

export function FormNotice({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
      {message}
    </p>
  );
}
