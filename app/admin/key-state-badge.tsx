import { KEY_STATE_LABELS, type KeyState } from '@/lib/keys/state';

const styles: Record<KeyState, string> = {
  active: 'bg-emerald-100 text-emerald-800',
  inactive: 'bg-slate-200 text-slate-700',
  expired: 'bg-amber-100 text-amber-900',
  suspended: 'bg-orange-100 text-orange-900',
  revoked: 'bg-red-100 text-red-800',
};

export function KeyStateBadge({ state, className = 'ml-2' }: { state: KeyState; className?: string }) {
  return <span className={`${className} inline-block rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${styles[state]}`}>{KEY_STATE_LABELS[state]}</span>;
}
