import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The only reader of process.env in lib/: one getter per setting, read at each call (so a changed
 * environment, or vi.stubEnv in a test, takes effect at once), with its default and its parsing.
 */

/** The environment as a plain record: for parsers that take one (messaging) and tests that pass their own. */
export function environment(): Record<string, string | undefined> {
  return process.env;
}

/** A whole number above zero from `name`, else `fallback` (unset, empty, zero, negative or not a number). */
function positiveInt(name: string, fallback: number): number {
  const configured = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isInteger(configured) && configured > 0 ? configured : fallback;
}

/** Where the embedded database and locally generated secrets live. */
export function dataDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.KEYDESK_DATA_DIR ?? path.join(process.cwd(), 'data'));
}

/** PostgreSQL's connection string; unset means the embedded database. */
export function databaseUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

export function usesEmbeddedDatabase(): boolean {
  return !databaseUrl();
}

/**
 * Secrets may be generated into ./data only for local runs. A production server on a real
 * database must be given them: a generated file would silently differ between app servers.
 */
export function mayGenerateLocalSecrets(): boolean {
  return usesEmbeddedDatabase() || process.env.NODE_ENV !== 'production';
}

/** Reads `name` from the environment, else from (or into) a generated file in the data folder. */
export function ensureSecret(name: string, fileName: string, bytes = 32): string {
  const fromEnv = process.env[name];
  if (fromEnv) return fromEnv;
  if (!mayGenerateLocalSecrets()) {
    throw new Error(
      `${name} is not set. It is required in production with DATABASE_URL (generate one with: openssl rand -base64 ${bytes}).`,
    );
  }
  const file = path.join(/* turbopackIgnore: true */ dataDir(), fileName);
  fs.mkdirSync(/* turbopackIgnore: true */ dataDir(), { recursive: true });
  if (!fs.existsSync(/* turbopackIgnore: true */ file)) {
    try {
      fs.writeFileSync(/* turbopackIgnore: true */ file, randomBytes(bytes).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const value = fs.readFileSync(/* turbopackIgnore: true */ file, 'utf8').trim();
  process.env[name] = value;
  return value;
}

/** `NEXTAUTH_URL`: the app's public address; http://localhost:`PORT` by default. */
export function appUrl(): string {
  return process.env.NEXTAUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
}

/** `PORT`: the port `npm start` listens on; 3000 by default. */
export function serverPort(): number {
  return Number.parseInt(process.env.PORT ?? '3000', 10);
}

/** Unless `NEXTAUTH_URL` is set, sets it to this server's local address (NextAuth reads it from the environment). */
export function defaultAppUrlTo(port: number, scheme: 'http' | 'https' = 'http'): void {
  process.env.NEXTAUTH_URL ??= `${scheme}://localhost:${port}`;
}

/** `KEYDESK_TLS_CERT` and `KEYDESK_TLS_KEY`: PEM files to serve https and wss with (both or neither). */
export function tlsFiles(): { cert?: string; key?: string } {
  return { cert: process.env.KEYDESK_TLS_CERT || undefined, key: process.env.KEYDESK_TLS_KEY || undefined };
}

/** `KEYDESK_TLS_SELF_SIGNED=1`: serve https with a certificate generated into the data folder, for trying a bot locally. */
export function tlsSelfSigned(): boolean {
  return process.env.KEYDESK_TLS_SELF_SIGNED === '1';
}

/** `KEYDESK_ENCRYPTION_KEY`: the key-encryption keys; unset means a key generated into ./data (embedded database only, see keyring.ts). */
export function encryptionKey(): string | undefined {
  return process.env.KEYDESK_ENCRYPTION_KEY;
}

/**
 * `KEYDESK_TRUSTED_PROXIES`: addresses or ranges whose X-Forwarded-For is believed, separated by
 * spaces, commas or semicolons; none by default.
 */
export function trustedProxies(): string[] {
  return parsedProxies(process.env.KEYDESK_TRUSTED_PROXIES ?? '');
}

/** `KEYDESK_METRICS_ALLOW`: addresses or ranges besides loopback that may read /metrics. */
export function metricsAllow(): string[] {
  return parsedMetricsAllow(process.env.KEYDESK_METRICS_ALLOW ?? '');
}

// Read for every API request: parsed again only when the variable changes (tests change it).
const addressList = (raw: string) => raw.split(/[\s,;]+/).filter(Boolean);
const parsedProxies = lastParsed(addressList);
const parsedMetricsAllow = lastParsed(addressList);

function lastParsed<T>(parse: (raw: string) => T): (raw: string) => T {
  let lastRaw: string | undefined;
  let last: T;
  return (raw) => {
    if (raw !== lastRaw) [lastRaw, last] = [raw, parse(raw)];
    return last;
  };
}

/** `KEYDESK_MAX_KEYS_PER_ACCOUNT`: API keys per account; 20 by default. */
export function maxKeysPerAccount(): number {
  return positiveInt('KEYDESK_MAX_KEYS_PER_ACCOUNT', 20);
}

/**
 * `KEYDESK_DB_DEADLINE_MS`: on PostgreSQL, the longest an API call or the readiness check waits
 * for the database before answering 503; 2000 by default.
 */
export function databaseDeadlineMs(): number {
  return positiveInt('KEYDESK_DB_DEADLINE_MS', 2000);
}

/** `KEYDESK_MAX_IN_FLIGHT`: on PostgreSQL, API calls one process works on at once before answering 503; 500 by default. */
export function maxApiCallsInFlight(): number {
  return positiveInt('KEYDESK_MAX_IN_FLIGHT', 500);
}

export const DEFAULT_MAX_CODES_PER_HOUR = 5;

/** `KEYDESK_MAX_CODES_PER_HOUR`: one-time codes one person may be sent per hour on each channel (SMS, email); 5 by default. */
export function maxCodesPerHour(): number {
  return positiveInt('KEYDESK_MAX_CODES_PER_HOUR', DEFAULT_MAX_CODES_PER_HOUR);
}

/** `KEYDESK_API_RATE_LIMIT`: API requests per key per minute, REST and WebSocket together; 300 by default. */
export function apiRateLimitPerMinute(): number {
  return positiveInt('KEYDESK_API_RATE_LIMIT', 300);
}

/** `KEYDESK_WS_IDLE_SECONDS`: seconds a WebSocket may stay silent before it is closed; 60 by default. */
export function wsIdleSeconds(): number {
  return positiveInt('KEYDESK_WS_IDLE_SECONDS', 60);
}

/** `KEYDESK_REMINDER_INTERVAL_MS`: how often the server looks for key reminders due (lib/keys/reminder-job.ts); 60000 by default. */
export function reminderIntervalMs(): number {
  return positiveInt('KEYDESK_REMINDER_INTERVAL_MS', 60_000);
}

/** `KEYDESK_EMBEDDED_VACUUM_INTERVAL_MS`: how often the embedded database is vacuumed (lib/platform/embedded-maintenance.ts); 600000 by default. */
export function embeddedVacuumIntervalMs(): number {
  return positiveInt('KEYDESK_EMBEDDED_VACUUM_INTERVAL_MS', 600_000);
}

/** How often each process rolls key usage up into hours and prunes it (lib/api/usage-rollup.ts). */
export function usageRollupIntervalMs(): number {
  return positiveInt('KEYDESK_USAGE_ROLLUP_INTERVAL_MS', 60_000);
}

/** What one process serves: everything (the console and the API), or the API alone. */
export type ServerRole = 'all' | 'api';

/**
 * `KEYDESK_ROLE`: `all` by default; `api` for a node that serves only the REST and WebSocket API
 * (never loading Next), behind a proxy that sends the console to `all` nodes. Anything else, or
 * `api` on the embedded database (one process, which must also serve the console), stops start-up.
 */
export function serverRole(): ServerRole {
  const role = process.env.KEYDESK_ROLE || 'all';
  if (role !== 'all' && role !== 'api') throw new Error(`KEYDESK_ROLE must be "all" (the default) or "api", not "${role}".`);
  if (role === 'api' && usesEmbeddedDatabase()) {
    throw new Error('KEYDESK_ROLE=api needs DATABASE_URL: the embedded database serves one process, which must also serve the console.');
  }
  return role;
}
