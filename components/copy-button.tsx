'use client';

import { useState } from 'react';
import { useHydrated } from './use-hydrated';

/**
 * Copies `value` to the clipboard. `compact`: a small icon button whose `label` is for screen
 * readers only (in a table row), drawn only once JavaScript runs — without it, it could not copy.
 */
export function CopyButton({ value, label, compact }: { value: string; label: string; compact?: boolean }) {
  const [copied, setCopied] = useState(false);
  const hydrated = useHydrated();
  if (compact && !hydrated) return null;
  return (
    <button
      type="button"
      className={`rounded-md border border-slate-300 bg-white text-xs font-semibold text-slate-800 hover:bg-slate-100 ${compact ? 'inline-flex items-center px-1.5 py-1' : 'px-3 py-1'}`}
      onClick={async () => {
        await navigator.clipboard.writeText(value);
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {compact ? (
        <>
          <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.5">
            <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
            <path d="M10.5 3.5v-1a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h1" />
          </svg>
          <span aria-live="polite" className={copied ? 'ml-1' : 'sr-only'}>
            {copied ? 'Copied' : label}
          </span>
        </>
      ) : (
        <span aria-live="polite">{copied ? 'Copied' : label}</span>
      )}
    </button>
  );
}
