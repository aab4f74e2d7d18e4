import Link from 'next/link';

/**
 * The Keydesk mark: a key's bow and bit on the brand colour, the same drawing as the favicon
 * (app/icon.svg). Decorative: the word "Keydesk" next to it carries the name.
 */
export function LogoMark({ className = 'size-7' }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 32 32" className={`shrink-0 ${className}`}>
      <rect width="32" height="32" rx="7" className="fill-brand-mark" />
      <circle cx="12" cy="16" r="5" fill="none" stroke="#fff" strokeWidth="3" />
      <path d="M17 16h10M23 16v5M27 16v4" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}

/** The top-left of every header: mark, name, and what part of Keydesk this is. */
export function BrandLink({ href, context }: { href: string; context?: string }) {
  return (
    <Link href={href} className="inline-flex items-center gap-2 rounded-md font-semibold text-slate-900">
      <LogoMark />
      <span>
        Keydesk
        {context ? <span className="font-normal text-slate-600"> · {context}</span> : null}
      </span>
    </Link>
  );
}

/** A link in a header: quiet until pointed at, marked when it is the current section. */
export function HeaderLink({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    <Link href={href} className="rounded-md px-2 py-1 font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-900">
      {children}
    </Link>
  );
}

/** Above the sign-in card and its second step: the mark and the product's name. */
export function BrandLine() {
  return (
    <p className="flex items-center gap-2 text-sm font-semibold tracking-wide text-brand-dark">
      <LogoMark className="size-6" />
      KEYDESK · PRIME LIQUIDITY
    </p>
  );
}
