import { KEY_STATE_LABELS, type KeyState } from '@/lib/keys/state';

// Each pair passes WCAG AA for small text (contrast 6.4 to 8.4).
const styles: Record<KeyState, string> = {
  active: 'bg-emerald-100 text-emerald-800',
  inactive: 'bg-slate-200 text-slate-700',
  expired: 'bg-amber-100 text-amber-900',
  suspended: 'bg-red-100 text-red-800',
  revoked: 'bg-red-700 text-white',
};

/** A key's state (lib/keys/state.ts) as one badge, the same on the owner's and the admin pages. */
export function StatusBadge({ status, className = 'ml-2' }: { status: KeyState; className?: string }) {
  return (
    <span className={`${className} inline-block rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${styles[status]}`}>
      {KEY_STATE_LABELS[status]}
    </span>
  );
}

/** "Expires in 3 days": drawn next to the status of a key close to its expiry date. */
export function ExpiryBadge({ text, className = 'ml-2' }: { text: string; className?: string }) {
  return (
    <span
      className={`${className} rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold whitespace-nowrap text-amber-900 ring-1 ring-amber-400`}
    >
      {text}
    </span>
  );
}
