import fs from 'node:fs';
import { currentRun, rememberedSecrets, serverLogOf } from './run-environment';

/**
 * After the whole run (Playwright's globalTeardown): the main server logged one JSON line per
 * request, and not one of the codes and API secrets the run typed or was shown is in that log (the
 * demo password is printed at start-up on purpose, for the person trying the demo). A code is matched as a whole token, so a UUID or a timestamp cannot match it by chance.
 */
export default function checkServerLog(): void {
  const run = currentRun();
  if (!run || !fs.existsSync(serverLogOf(run))) throw new Error('the e2e server wrote no log');
  const text = fs.readFileSync(serverLogOf(run), 'utf8');
  const requests = text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; reqId?: string; status?: number })
    .filter((entry) => entry.msg === 'request');
  if (requests.length === 0 || requests.some((r) => !r.reqId || !r.status)) {
    throw new Error(`the server log holds ${requests.length} request lines, each needing a reqId and a status`);
  }
  const used = rememberedSecrets(run);
  for (const value of used) {
    const token = new RegExp(`(?<![0-9A-Za-z_-])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z_-])`);
    if (token.test(text)) throw new Error(`the server log contains a code or secret the run used (${value.slice(0, 2)}…)`);
  }
  console.info(`Server log: ${requests.length} request lines, none holding any of the ${used.length} codes and secrets the run used.`);
}
