'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export interface NavItem {
  href: string;
  label: string;
  /** Path prefixes, besides `href` itself, under which this item is the current one. */
  within?: string[];
}

/** A list of section links marking the current one (aria-current), in a row or a column. */
export function NavLinks({ label, items, layout }: { label: string; items: NavItem[]; layout: 'row' | 'column' }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label}>
      <ul className={layout === 'row' ? 'flex gap-1' : 'space-y-1'}>
        {items.map((item) => {
          const current = pathname === item.href || (item.within ?? []).some((prefix) => pathname.startsWith(prefix));
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
