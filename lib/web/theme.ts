import 'server-only';
import { cookies } from 'next/headers';

/** A browser's colour scheme: its own preference (`system`), or one chosen in the console. */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const COOKIE = 'keydesk-theme';
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

const isTheme = (value: unknown): value is Theme => typeof value === 'string' && (THEMES as readonly string[]).includes(value);

/** This browser's choice, read on the server: the page is drawn in it from the first byte (no flash). */
export async function currentTheme(): Promise<Theme> {
  const value = (await cookies()).get(COOKIE)?.value;
  return isTheme(value) ? value : 'system';
}

/** Remembers the choice in this browser; anything else than a known theme changes nothing. */
export async function rememberTheme(value: unknown): Promise<boolean> {
  if (!isTheme(value)) return false;
  const jar = await cookies();
  if (value === 'system') jar.delete(COOKIE);
  else jar.set(COOKIE, value, { path: '/', maxAge: ONE_YEAR_SECONDS, sameSite: 'lax', httpOnly: true });
  return true;
}
