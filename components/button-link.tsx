import Link from 'next/link';

const styles = {
  primary: 'bg-brand text-white hover:bg-brand-dark',
  secondary: 'border border-slate-300 bg-white text-slate-800 hover:bg-slate-100',
};

export function ButtonLink({
  href,
  children,
  variant = 'primary',
}: {
  href: string;
  children: React.ReactNode;
  variant?: keyof typeof styles;
}) {
  return (
    <Link
      href={href}
      prefetch={false}
      className={`inline-flex items-center justify-center rounded-md px-4 py-2 text-sm font-semibold ${styles[variant]}`}
    >
      {children}
    </Link>
  );
}
