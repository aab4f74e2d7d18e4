import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataFolder } from './lock';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'keydesk-lock-'));

describe('lockDataFolder', () => {
  it('records this process and releases the lock', () => {
    const dir = fresh();
    const release = lockDataFolder(dir);
    expect(readFileSync(path.join(dir, 'keydesk.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(path.join(dir, 'keydesk.lock'))).toBe(false);
  });

  it('refuses a folder held by another live process, naming it', async () => {
    const dir = fresh();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(path.join(dir, 'keydesk.lock'), String(other.pid));
      expect(() => lockDataFolder(dir)).toThrow(`in use by process ${other.pid}`);
    } finally {
      other.kill();
    }
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = fresh();
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.once('exit', resolve));
    writeFileSync(path.join(dir, 'keydesk.lock'), String(dead.pid));
    const release = lockDataFolder(dir);
    expect(readFileSync(path.join(dir, 'keydesk.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});
