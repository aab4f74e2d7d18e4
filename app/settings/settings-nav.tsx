import { NavLinks } from '@/components/nav-links';

const items = [
  { href: '/settings/profile', label: 'Profile', within: ['/settings/profile'] },
  { href: '/settings/security', label: 'Security', within: ['/settings/security'] },
  { href: '/settings/api-keys', label: 'API Keys Management', within: ['/settings/api-keys'] },
];

export function SettingsNav() {
  return (
    <div className="w-56 shrink-0">
      <p className="mb-2 px-3 text-xs font-semibold tracking-wide text-slate-500 uppercase">Settings</p>
      <NavLinks label="Settings" items={items} layout="column" />
    </div>
  );
}
