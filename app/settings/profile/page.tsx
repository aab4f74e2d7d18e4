import type { Metadata } from 'next';
import { requireUser } from '@/lib/web/auth';
import { ACCOUNT_TYPE_LABELS } from '@/lib/admin/key-list';

export const metadata: Metadata = { title: 'Profile' };

const ROLES = { owner: 'Owner', member: 'Member' } as const;

export default async function ProfilePage() {
  const user = await requireUser('/settings/profile');
  const rows: [string, string][] = [
    ['Name', user.name],
    ['Email', user.email],
    ['Platform role', user.role === 'admin' ? 'Administrator' : 'User'],
  ];
  if (user.membership) {
    rows.push(
      ['Account', user.membership.accountName],
      ['Account type', ACCOUNT_TYPE_LABELS[user.membership.accountType]],
      ['Your role', ROLES[user.membership.role]],
    );
  }
  return (
    <section>
      <h1 className="text-2xl font-semibold">Profile</h1>
      <dl className="mt-6 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
        {rows.map(([term, value]) => (
          <div key={term} className="grid grid-cols-3 gap-4 px-5 py-3 text-sm">
            <dt className="font-medium text-slate-600">{term}</dt>
            <dd className="col-span-2 text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
