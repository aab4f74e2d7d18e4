import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertLocalDatabaseUrl } from '@/test/support/databases';

/**
 * One e2e run: a port, a temporary folder and a fresh database, prepared once in Playwright's
 * main process while it reads playwright.config.ts.
 *
 * This cannot be a globalSetup: Playwright 1.65 starts `webServer` before globalSetup (plugins
 * first), and the server needs its database ready when it starts. The config is read again in
 * every worker; the workers inherit `process.env` from the main process, so they find the run
 * described in RUN_ENV_KEY and prepare nothing.
 */

const RUN_ENV_KEY = 'KEYDESK_E2E_RUN';
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** Fixed test values: the seed encrypts the demo TOTP secret with this key, and so must the server. */
const TEST_ENCRYPTION_KEY = 'e2e:' + Buffer.alloc(32, 0x2a).toString('base64');
/** The e2e servers' session secret (exported so a spec can age a session: e2e/fixtures/sessions.ts). */
export const TEST_NEXTAUTH_SECRET = 'keydesk-e2e-nextauth-secret-not-for-production';

export interface RunEnvironment {
  baseURL: string;
  port: number;
  /** Per-run scratch folder (embedded database, TOTP step book-keeping); removed at exit. */
  runDir: string;
  /** Set when the run uses a PostgreSQL database created for it (dropped at exit). */
  database: string | null;
  serverEnv: Record<string, string>;
  /**
   * A second server that delivers SMS codes for real, to an HTTP gateway the delivery spec runs
   * on `gatewayPort` (so it has no /dev/outbox). Always on embedded PGlite, in its own folder: it
   * exercises start-up and delivery; the outbox's PostgreSQL paths are covered by vitest.
   */
  delivery: { baseURL: string; gatewayPort: number; gatewayToken: string; serverEnv: Record<string, string> };
}

export function currentRun(): RunEnvironment | null {
  const raw = process.env[RUN_ENV_KEY];
  return raw ? (JSON.parse(raw) as RunEnvironment) : null;
}

function runTool(args: string[], env: Record<string, string>, what: string): void {
  const result = spawnSync(TSX, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`e2e setup: ${what} failed (exit ${result.status ?? result.signal}).\n${result.stdout}\n${result.stderr}`);
  }
}

function createDatabase(adminUrl: string, runDir: string): { name: string; url: string } {
  const parsed = assertLocalDatabaseUrl(adminUrl);
  const name = `keydesk_e2e_${process.pid}_${Date.now()}`;
  // The admin URL goes through the environment, not argv, so a password in it never shows in `ps`.
  runTool(
    [path.join('e2e', 'support', 'postgres-admin.ts'), 'create', name],
    { KEYDESK_E2E_ADMIN_URL: adminUrl },
    `creating database ${name}`,
  );
  parsed.pathname = `/${name}`;
  const url = parsed.toString();
  try {
    runTool(
      ['server.ts', '--migrate', '--seed'],
      { DATABASE_URL: url, KEYDESK_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, KEYDESK_DATA_DIR: path.join(runDir, 'data') },
      `migrating and seeding ${name}`,
    );
  } catch (error) {
    dropDatabase(adminUrl, name);
    throw error;
  }
  return { name, url };
}

function dropDatabase(adminUrl: string, name: string): void {
  try {
    runTool(
      [path.join('e2e', 'support', 'postgres-admin.ts'), 'drop', name],
      { KEYDESK_E2E_ADMIN_URL: adminUrl },
      `dropping database ${name}`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
  }
}

/** Called by playwright.config.ts: prepares the run in the main process, or returns the one prepared there. */
export function prepareRun(): RunEnvironment {
  const existing = currentRun();
  if (existing) return existing;

  if (!fs.existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
    throw new Error('No production build found in .next: run `npx next build` first (`npm run test:e2e` builds before testing).');
  }
  const adminUrl = process.env.DATABASE_URL || undefined;
  if (adminUrl) assertLocalDatabaseUrl(adminUrl);
  const port = Number.parseInt(process.env.KEYDESK_E2E_PORT ?? '3210', 10);
  const baseURL = `http://127.0.0.1:${port}`;
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydesk-e2e-'));

  const serverEnv: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: String(port),
    NEXTAUTH_URL: baseURL,
    NEXTAUTH_SECRET: TEST_NEXTAUTH_SECRET,
    KEYDESK_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    // With no DATABASE_URL the server creates, migrates and seeds a PGlite database here.
    KEYDESK_DATA_DIR: path.join(runDir, 'data'),
    NEXT_TELEMETRY_DISABLED: '1',
    // The whole suite runs inside one hour; headroom for a CI retry. The cap itself is tested
    // at its default by test/second-factor/throttle.test.ts.
    KEYDESK_MAX_CODES_PER_HOUR: '100',
  };
  let database: string | null = null;
  if (adminUrl) {
    try {
      const created = createDatabase(adminUrl, runDir);
      database = created.name;
      serverEnv.DATABASE_URL = created.url;
    } catch (error) {
      fs.rmSync(runDir, { recursive: true, force: true });
      throw error;
    }
  }

  // 'exit' fires after Playwright has stopped the web server, so the database has no clients left.
  process.once('exit', () => {
    if (adminUrl && database) dropDatabase(adminUrl, database);
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  const deliveryPort = port + 1;
  const gatewayPort = port + 2;
  const gatewayToken = 'e2e-sms-gateway-token';
  const delivery = {
    baseURL: `http://127.0.0.1:${deliveryPort}`,
    gatewayPort,
    gatewayToken,
    serverEnv: {
      ...serverEnv,
      // Empty, not absent: Playwright passes its own environment to web servers, and the
      // suite's DATABASE_URL (the admin database of a PostgreSQL run) must not reach this one.
      DATABASE_URL: '',
      PORT: String(deliveryPort),
      NEXTAUTH_URL: `http://127.0.0.1:${deliveryPort}`,
      KEYDESK_DATA_DIR: path.join(runDir, 'delivery-data'),
      KEYDESK_SMS_GATEWAY_URL: `http://127.0.0.1:${gatewayPort}/sms`,
      KEYDESK_SMS_GATEWAY_TOKEN: gatewayToken,
      // Strict, as in production: e2e/real-delivery.spec.ts reaches the cap.
      KEYDESK_MAX_CODES_PER_HOUR: '2',
    },
  };
  const run: RunEnvironment = { baseURL, port, runDir, database, serverEnv, delivery };
  process.env[RUN_ENV_KEY] = JSON.stringify(run);
  return run;
}

/** The main e2e server's stdout — its JSON log — checked after the run (e2e/support/log-check.ts). */
export const serverLogOf = (run: RunEnvironment) => path.join(run.runDir, 'server.log');
const usedSecretsOf = (run: RunEnvironment) => path.join(run.runDir, 'used-secrets.txt');

/** Records a code or secret the run typed or was shown, for the check that none reached the log. */
export function rememberSecret(value: string): void {
  const run = currentRun();
  if (run && value) fs.appendFileSync(usedSecretsOf(run), `${value}\n`);
}

export function rememberedSecrets(run: RunEnvironment): string[] {
  return fs.existsSync(usedSecretsOf(run)) ? fs.readFileSync(usedSecretsOf(run), 'utf8').split('\n').filter(Boolean) : [];
}
