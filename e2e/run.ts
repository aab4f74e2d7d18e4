import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

/**
 * The browser suite, in halves run side by side (`npm run e2e`; `npm test` calls it after the build).
 *
 * A spec spends most of its time waiting: for the browser, for an email in the outbox, for the
 * next 30-second authenticator window. Each half is its own Playwright process with its own port
 * range, server and database (e2e/support/run-environment.ts), so the halves share nothing and two
 * of them fill the wait of one. Arguments (a spec file, `--update-snapshots`, …) mean one plain run.
 *
 * The spec files are dealt out longest first, each to the half with the least time so far.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const PLAYWRIGHT = path.join(ROOT, 'node_modules', '.bin', 'playwright');
/** Each run takes ports base..base+17 (run-environment.ts, two-nodes, database-outage). */
const PORTS_PER_RUN = 20;

/**
 * Roughly how long each spec file takes, in seconds, in the PGlite run and in the PostgreSQL run
 * (seen on 2 cores, December 2026; 0 where a spec skips that run); any other file counts
 * DEFAULT_SECONDS. Only the balance of the halves depends on these: a stale figure costs time,
 * never a test.
 */
const SPEC_SECONDS: Record<string, [pglite: number, postgres: number]> = {
  'every-page.spec.ts': [68, 0],
  'every-admin-page.spec.ts': [55, 0],
  'admin.spec.ts': [45, 41],
  'this-wasnt-me.spec.ts': [30, 14],
  'admin-step-up.spec.ts': [25, 35],
  'database-outage.spec.ts': [0, 47],
  'two-nodes.spec.ts': [0, 36],
  'browser-defences.spec.ts': [5, 29],
  'rotate-secret.spec.ts': [15, 27],
  'accessibility.spec.ts': [20, 0],
  'visual.spec.ts': [16, 0],
  'key-used-over-api.spec.ts': [16, 15],
  'hand-made-actions.spec.ts': [25, 25],
  'least-privilege.spec.ts': [0, 17],
  'notifications.spec.ts': [10, 17],
  'refusals.spec.ts': [14, 15],
  'key-lifecycle.spec.ts': [14, 10],
  'docs-phone.spec.ts': [12, 0],
  'key-usage.spec.ts': [11, 10],
  'key-expiry.spec.ts': [9, 10],
  'dark-mode.spec.ts': [10, 0],
  'server-start.spec.ts': [10, 0],
  'disable-user.spec.ts': [8, 9],
  'test-this-key.spec.ts': [8, 8],
};
const DEFAULT_SECONDS = 6;
const RUN = process.env.DATABASE_URL ? 1 : 0;
const secondsOf = (file: string) => SPEC_SECONDS[file]?.[RUN] ?? DEFAULT_SECONDS;
/** The one spec that needs the second, SMS-delivering server (playwright.config.ts). */
const DELIVERY_SPEC = 'real-delivery.spec.ts';

/** Every spec file, dealt into `count` lists of about equal time. */
function dealSpecs(count: number): string[][] {
  const files = fs
    .readdirSync(path.join(ROOT, 'e2e'))
    .filter((name) => name.endsWith('.spec.ts'))
    .sort((a, b) => secondsOf(b) - secondsOf(a) || a.localeCompare(b));
  const halves = Array.from({ length: count }, () => ({ files: [] as string[], seconds: 0 }));
  for (const file of files) {
    const lightest = halves.reduce((min, half) => (half.seconds < min.seconds ? half : min));
    lightest.files.push(file);
    lightest.seconds += secondsOf(file);
  }
  return halves.map((half) => half.files.sort());
}

const shards = Math.max(1, Number.parseInt(process.env.KEYDESK_E2E_SHARDS ?? '2', 10) || 1);
const basePort = Number.parseInt(process.env.KEYDESK_E2E_PORT ?? '3210', 10);
const args = process.argv.slice(2);

function runPlaywright(extraArgs: string[], env: NodeJS.ProcessEnv, label: string | null): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(PLAYWRIGHT, ['test', ...extraArgs], {
      cwd: ROOT,
      env,
      stdio: label ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    if (label) {
      // Each line keeps its half's label, so interleaved output still reads as two reports.
      for (const stream of [child.stdout, child.stderr]) {
        readline.createInterface({ input: stream! }).on('line', (line) => console.log(`${label} ${line}`));
      }
    }
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  if (args.length > 0 || shards === 1) return runPlaywright(args, process.env, null);
  const codes = await Promise.all(
    dealSpecs(shards).map((files, i) =>
      runPlaywright(
        // Anchored patterns: Playwright reads each argument as a regular expression over the path.
        files.map((file) => `/e2e\\/${file.replace(/[.-]/g, '\\$&')}$/`),
        {
          ...process.env,
          KEYDESK_E2E_PORT: String(basePort + i * PORTS_PER_RUN),
          KEYDESK_E2E_OUTPUT: `shard-${i + 1}`,
          ...(files.includes(DELIVERY_SPEC) ? {} : { KEYDESK_E2E_WITHOUT_DELIVERY: '1' }),
          FORCE_COLOR: process.env.FORCE_COLOR ?? '0',
        },
        `[${i + 1}/${shards}]`,
      ),
    ),
  );
  const failed = codes.filter((code) => code !== 0).length;
  console.log(
    failed ? `\n${failed} of ${shards} halves of the browser suite failed.` : `\nAll ${shards} halves of the browser suite passed.`,
  );
  return failed ? 1 : 0;
}

process.exitCode = await main();
