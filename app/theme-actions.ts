'use server';

import { revalidatePath } from 'next/cache';
import { rememberTheme } from '@/lib/web/theme';
import { assertPostedForm } from '@/lib/web/form-action';

/**
 * The theme switch: a preference of this browser, not of an account, so it needs no session —
 * and it changes nothing but its own cookie (cross-site posts are refused before Next).
 */
export async function chooseTheme(form: FormData): Promise<void> {
  assertPostedForm(form);
  if (await rememberTheme(form.get('theme'))) revalidatePath('/', 'layout');
}
