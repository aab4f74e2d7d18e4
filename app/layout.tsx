import type { Metadata } from 'next';
import { connection } from 'next/server';
import { currentTheme } from '@/lib/web/theme';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Keydesk', template: '%s · Keydesk' },
  description: 'API keys for Prime Liquidity accounts',
};

// Every page renders per request, the not-found page included, so that Next can give its scripts
// this response's CSP nonce (server.ts); a prerendered page would carry none and not hydrate.
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  const theme = await currentTheme();
  return (
    // A chosen theme is drawn from the first byte; `system` leaves it to the browser's preference.
    <html lang="en" data-theme={theme === 'system' ? undefined : theme}>
      <body className="min-h-screen">
        {/* The first stop of the Tab key: past the header and the menus, to the page itself. */}
        <a href="#main" className="skip-link">
          Skip to main content
        </a>
        {children}
      </body>
    </html>
  );
}
