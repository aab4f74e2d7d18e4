'use client';

import { useFormStatus } from 'react-dom';

const styles = {
  primary: 'bg-brand text-white hover:bg-brand-dark disabled:bg-slate-400',
  secondary: 'border border-slate-300 bg-white text-slate-800 hover:bg-slate-100 disabled:text-slate-400',
  danger: 'bg-red-700 text-white hover:bg-red-800 disabled:bg-slate-400',
};

/** Disabled while its form is submitting, so a double click sends one request. */
export function SubmitButton({
  children,
  variant = 'primary',
  disabled,
  name,
  value,
  formAction,
}: {
  children: React.ReactNode;
  variant?: keyof typeof styles;
  disabled?: boolean;
  name?: string;
  value?: string;
  formAction?: (formData: FormData) => void | Promise<void>;
}) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      name={name}
      value={value}
      formAction={formAction}
      disabled={disabled || pending}
      aria-disabled={disabled || pending}
      className={`inline-flex items-center justify-center rounded-md px-4 py-2 text-sm font-semibold ${styles[variant]}`}
    >
      {children}
    </button>
  );
}
