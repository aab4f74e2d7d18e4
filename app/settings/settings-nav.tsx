'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const items = [
  { href: '/settings/profile', label: 'Profile' },
  { href: '/settings/security', label: 'Security' },
  { href: '/settings/api-keys', label: 'API Keys Management' },
];

export function SettingsNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="w-56 shrink-0">
      <p className="mb-2 px-3 text-xs font-semibold tracking-wide text-slate-500 uppercase">Settings</p>
      <ul className="space-y-1">
        {items.map((item) => {
          const current = pathname.startsWith(item.href);
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
