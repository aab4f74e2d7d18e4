import { z } from 'zod';

/**
 * A one-time code as typed, spaces forgiven. It never fails here: a malformed code is a guess
 * like any other, so the step itself counts it and answers "Enter the 6-digit code"
 * (lib/second-factor/challenges.ts).
 */
export const codeSchema = z.object({
  code: z.unknown().transform((v) => (typeof v === 'string' ? v.replace(/\s+/g, '').slice(0, 32) : '')),
});

export const signInSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'Enter your email address' })),
  password: z.string().min(1, 'Enter your password').max(1024, 'Incorrect email or password.'),
  callbackUrl: z.string().optional(),
});

export const uuidSchema = z.uuid();

export function firstErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
