import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures/test';
import { currentRun } from './support/run-environment';
import { onlyInThePgliteRun } from './support/suites';

onlyInThePgliteRun('the server it starts runs on a PGlite folder of its own');

/**
 * Start-up as an operator meets it: a second server pointed at a port that is already taken (here,
 * the e2e server's own) must stop at once with a message that says so, exit non-zero, and release
 * its embedded database — not linger holding the lock.
 */
test('a server whose port is taken exits non-zero, says why, and releases its database', async () => {
  test.setTimeout(120_000);
  const run = currentRun()!;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keydesk-port-taken-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: { ...process.env, ...run.serverEnv, DATABASE_URL: '', KEYDESK_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(`Port ${run.port} is already in use: stop what listens there, or set PORT.`);
    expect(fs.existsSync(path.join(dataDir, 'keydesk.lock'))).toBe(false);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
