import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP(S) request from the test, as a bot would send it; over https it trusts `ca` (a
 * self-signed certificate of the run) and verifies the server against it.
 */
export function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; ca?: string } = {},
): Promise<Answer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { method: init.method ?? 'GET', headers: init.headers, ca: init.ca }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.once('error', reject).end(init.body);
  });
}

/** Resolves once `url` answers 2xx; throws after `timeoutMs`. */
export async function waitUntilReady(url: string, { timeoutMs = 90_000, ca }: { timeoutMs?: number; ca?: string } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await call(url, { ca }).then(
      (r) => r.status >= 200 && r.status < 300,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} never became ready`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * One more app process of the built app (as `npm run serve` runs it) on `port`, logging to
 * `<dir>/node-<port>.log`, resolved once /api/ready says it can serve. For the specs that need
 * processes of their own: two nodes behind nginx, a node whose database is stopped.
 */
export async function startAppNode(port: number, env: Record<string, string>, dir: string): Promise<ChildProcess> {
  const log = fs.openSync(path.join(dir, `node-${port}.log`), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  await waitUntilReady(`http://127.0.0.1:${port}/api/ready`);
  return child;
}

/** Stops the processes (SIGTERM: each closes its database) and waits for them to exit. */
export async function stopProcesses(children: ChildProcess[]): Promise<void> {
  for (const child of [...children].reverse()) {
    if (child.exitCode !== null) continue;
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  }
}
