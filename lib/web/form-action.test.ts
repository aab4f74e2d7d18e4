import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The edge refuses a server-action request whose body is not a form (lib/platform/malformed-requests.ts),
 * which holds only while every action is posted one: an action that declares no argument is posted
 * as text by React, and would be refused. So each exported action takes its form and checks it
 * first (assertPostedForm), or is made by one of the form wrappers, which do.
 */
const WRAPPERS = ['ownerAction', 'userAction', 'adminAction', 'adminStepUpAction'];

function serverActionFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return serverActionFiles(file);
    return /\.tsx?$/.test(entry.name) && fs.readFileSync(file, 'utf8').startsWith("'use server';") ? [file] : [];
  });
}

describe('server actions', () => {
  const files = serverActionFiles(path.join(process.cwd(), 'app'));

  it('are found (the scan below reads them)', () => {
    expect(files.length).toBeGreaterThan(15);
  });

  it.each(files.map((f) => [path.relative(process.cwd(), f)]))('%s: each takes its form and checks it first', (file) => {
    const text = fs.readFileSync(file, 'utf8');
    const functions = [...text.matchAll(/export async function (\w+)\(([^)]*)\)[^{]*\{\n\s*(.*)/g)];
    for (const [, name, params, firstLine] of functions) {
      expect(params, name).toMatch(/form: FormData/);
      expect(firstLine, name).toBe('assertPostedForm(form);');
    }
    for (const [, name, maker] of text.matchAll(/export const (\w+) = (\w+)\(/g)) expect(WRAPPERS, name).toContain(maker);
    expect(functions.length + [...text.matchAll(/export const /g)].length).toBeGreaterThan(0);
  });
});
