import { NavLinks } from '@/components/nav-links';

const items = [
  { href: '/admin/keys', label: 'Keys', within: ['/admin/keys'] },
  { href: '/admin/accounts', label: 'Accounts', within: ['/admin/accounts'] },
  { href: '/admin/people', label: 'People', within: ['/admin/people'] },
  { href: '/admin/audit', label: 'Audit log', within: ['/admin/audit'] },
];

export function AdminNav() {
  return <NavLinks label="Admin" items={items} layout="row" />;
}
