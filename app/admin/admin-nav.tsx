'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const items = [
  { href: '/admin', label: 'Keys', current: (p: string) => p === '/admin' || p.startsWith('/admin/keys') },
  { href: '/admin/accounts', label: 'Accounts', current: (p: string) => p.startsWith('/admin/accounts') },
  { href: '/admin/audit', label: 'Audit log', current: (p: string) => p.startsWith('/admin/audit') },
];

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin">
      <ul className="flex gap-1">
        {items.map((item) => {
          const current = item.current(pathname);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={current ? 'page' : undefined}
                className={`block rounded-md px-3 py-2 text-sm ${current ? 'bg-brand/10 font-semibold text-brand-dark' : 'text-slate-700 hover:bg-slate-100'}`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
