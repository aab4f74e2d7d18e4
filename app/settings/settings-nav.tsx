import { NavLinks, type NavItem } from '@/components/nav-links';

const items: NavItem[] = [
  { href: '/settings/profile', label: 'Profile', within: ['/settings/profile'] },
  { href: '/settings/security', label: 'Security', within: ['/settings/security'] },
];

const apiKeysItem: NavItem = { href: '/settings/api-keys', label: 'API Keys Management', within: ['/settings/api-keys'] };
const notificationsItem: NavItem = { href: '/settings/notifications', label: 'Notifications', within: ['/settings/notifications'] };

/** Settings sections; API Keys Management and Notifications only for those who can use them (`managesApiKeys`). */
export function SettingsNav({ apiKeys }: { apiKeys: boolean }) {
  return (
    <div className="w-full shrink-0 md:w-56">
      <p className="mb-2 px-3 text-xs font-semibold tracking-wide text-slate-500 uppercase">Settings</p>
      <NavLinks label="Settings" items={apiKeys ? [...items, apiKeysItem, notificationsItem] : items} layout="column" />
    </div>
  );
}
