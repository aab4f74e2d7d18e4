/**
 * A return address taken from a query string or form must stay on this site: only absolute
 * paths, never `//host` or `/\host`, which browsers treat as another origin.
 */
export function safeReturnPath(value: unknown, fallback = '/settings'): string {
  if (typeof value !== 'string' || value.length > 512) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f\\]/.test(value)) return fallback;
  return value;
}
