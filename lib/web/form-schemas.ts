import { z } from 'zod';

/** A one-time code as typed: spaces are forgiven, anything but six digits is not. */
export const codeSchema = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code' })
    .transform((v) => v.replace(/\s+/g, ''))
    .pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code')),
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
