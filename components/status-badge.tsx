import type { KeyState } from '@/lib/keys/state';

const styles: Record<KeyState, string> = {
  active: 'bg-emerald-100 text-emerald-800',
  inactive: 'bg-slate-200 text-slate-700',
  expired: 'bg-amber-100 text-amber-900',
  suspended: 'bg-red-100 text-red-800',
  revoked: 'bg-red-700 text-white',
};

const labels: Record<KeyState, string> = {
  active: 'Active',
  inactive: 'Inactive',
  expired: 'Expired',
  suspended: 'Suspended',
  revoked: 'Revoked',
};

export function StatusBadge({ status }: { status: KeyState }) {
  return <span className={`ml-2 rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${styles[status]}`}>{labels[status]}</span>;
}

/** "Expires in 3 days": drawn next to the status of a key close to its expiry date. */
export function ExpiryBadge({ text }: { text: string }) {
  return <span className="ml-2 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold whitespace-nowrap text-amber-900 ring-1 ring-amber-400">{text}</span>;
}
