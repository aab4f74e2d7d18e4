import type { InputHTMLAttributes, TextareaHTMLAttributes } from 'react';

/** One message, or several (each bad entry of a list on its own line). */
type FieldError = string | readonly string[];

type Common = { label: string; name: string; error?: FieldError; hint?: React.ReactNode };

const messagesOf = (error?: FieldError): readonly string[] => (error === undefined ? [] : typeof error === 'string' ? [error] : error);

const inputClass = 'mt-1 block w-full rounded-md border px-3 py-2 text-sm shadow-sm focus:border-brand aria-[invalid=true]:border-red-600';

function Help({ name, error, hint }: { name: string; error?: FieldError; hint?: React.ReactNode }) {
  const messages = messagesOf(error);
  return (
    <>
      {hint ? (
        <p id={`${name}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {messages.length === 1 ? (
        <p id={`${name}-error`} className="mt-1 text-sm text-red-700">
          {messages[0]}
        </p>
      ) : messages.length > 1 ? (
        <ul id={`${name}-error`} className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-red-700">
          {messages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

const describedBy = (name: string, error?: FieldError, hint?: React.ReactNode) =>
  [hint ? `${name}-hint` : null, messagesOf(error).length ? `${name}-error` : null].filter(Boolean).join(' ') || undefined;

const invalid = (error?: FieldError) => (messagesOf(error).length ? true : undefined);

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
        aria-invalid={invalid(error)}
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
        aria-invalid={invalid(error)}
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
