const styles = {
  active: 'bg-emerald-100 text-emerald-800',
  inactive: 'bg-slate-200 text-slate-700',
};

export function StatusBadge({ status }: { status: 'active' | 'inactive' }) {
  return <span className={`ml-2 rounded-full px-2 py-0.5 text-xs font-semibold ${styles[status]}`}>{status === 'active' ? 'Active' : 'Inactive'}</span>;
}
