import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

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
    throw new Error(`${name} is not set. It is required in production with DATABASE_URL (generate one with: openssl rand -base64 ${bytes}).`);
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

export function appUrl(): string {
  return process.env.NEXTAUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
}
