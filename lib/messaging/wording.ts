/** How messages write times, keys and browsers, the same in every email and SMS. */

/** "2026-05-04 14:05:09 UTC", as /dev/outbox and the console show times. */
export const formatUtc = (at: Date) => `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** The API key's first characters ("kd_" and 9 more): enough to recognise it in the console's list. */
export const keyPrefix = (publicKey: string) => `${publicKey.slice(0, 12)}…`;

const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\bOPR\/(\d+)/, 'Opera'],
  [/\bFirefox\/(\d+)/, 'Firefox'],
  [/\bFxiOS\/(\d+)/, 'Firefox'],
  [/\bCriOS\/(\d+)/, 'Chrome'],
  [/\bChrome\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
];
const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/**
 * "Firefox 128 on Linux" from a User-Agent; an unknown client is quoted (shortened), none is said
 * so. Without `version` ("Firefox on Linux"): the device a session list shows, and the one
 * remembered for new-sign-in emails, which a browser update must not make "new".
 */
export function describeBrowser(userAgent: string | null, { version = true } = {}): string {
  if (!userAgent?.trim()) return 'Unknown (the request did not say)';
  const browser = BROWSERS.map(([pattern, name]) => ({ name, match: pattern.exec(userAgent) })).find((b) => b.match);
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (!browser) return userAgent.length > 80 ? `${userAgent.slice(0, 80)}…` : userAgent;
  return `${browser.name}${version ? ` ${browser.match![1]}` : ''}${system ? ` on ${system}` : ''}`;
}
