import { vi } from 'vitest';
import { log } from '@/lib/platform/log';

/**
 * Captures what the code logs — through the pino logger and, for anything left, the console — as
 * text lines, and keeps it off the test output. Restored by vi.restoreAllMocks.
 */
export function captureLogs(): string[] {
  const lines: string[] = [];
  const record = (...args: unknown[]) => {
    lines.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a))).join(' '));
  };
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
    vi.spyOn(log, level).mockImplementation(record as never);
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation(record);
  return lines;
}
