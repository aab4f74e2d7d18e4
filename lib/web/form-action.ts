import 'server-only';
import { notFound } from 'next/navigation';
import type { z } from 'zod';
import type { OwnerContext } from '@/lib/identity/owner';
import type { UserSummary } from '@/db/queries/users';
import type { ActionState } from './action-state';
import { requireAdmin, requireOwner, requireUser } from './auth';
import { codeSchema, firstErrors, uuidSchema } from './form-schemas';
import { rowId } from '@/lib/admin/search-params';

/**
 * Wrappers for the server actions of a form, keeping the order every action needs: who is asking
 * FIRST (each exported action is a public POST endpoint, whatever page rendered it), then the form
 * — ids checked, never trusted; fields parsed into field errors — and only then the domain call.
 */

type FormValues = Record<string, string | string[]>;

export type FormAction = (state: ActionState, form: FormData) => Promise<ActionState>;

export interface FormFields<T> {
  schema: z.ZodType<T>;
  read: (form: FormData) => unknown;
  /** What the person typed, handed back on a refusal so nothing is lost (never a password or code). */
  echo?: (form: FormData) => FormValues;
}

export interface FormInput<K extends string, T> {
  /** Row ids the form names: a malformed one answers 404, like an id that is not the caller's. */
  ids?: readonly K[];
  fields?: FormFields<T>;
}

export interface FormCall<K extends string, T> {
  ids: Record<K, string>;
  data: T;
  /** The echo of the fields, for the refusal state. */
  values?: FormValues;
  form: FormData;
}

/** The one-time code of every second-factor step. */
export const CODE_FIELD: FormFields<{ code: string }> = { schema: codeSchema, read: (form) => ({ code: form.get('code') }) };

/** A text field as typed ('' when absent or a file). */
export const text = (form: FormData, name: string) => (typeof form.get(name) === 'string' ? String(form.get(name)) : '');

/** Every value of a repeated field (checkboxes). */
export const texts = (form: FormData, name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');

type Read<K extends string, T> = { ok: true; call: FormCall<K, T> } | { ok: false; state: ActionState };

function readForm<K extends string, T>(input: FormInput<K, T>, form: FormData, idSchema: z.ZodType<string>): Read<K, T> {
  const ids = {} as Record<K, string>;
  for (const name of input.ids ?? []) {
    const parsed = idSchema.safeParse(form.get(name));
    if (!parsed.success) notFound();
    ids[name] = parsed.data;
  }
  if (!input.fields) return { ok: true, call: { ids, data: undefined as T, form } };
  const values = input.fields.echo?.(form);
  const parsed = input.fields.schema.safeParse(input.fields.read(form));
  if (!parsed.success) return { ok: false, state: { status: 'error', fieldErrors: firstErrors(parsed.error), ...(values && { values }) } };
  return { ok: true, call: { ids, data: parsed.data, values, form } };
}

/** An action of the account owner's API key pages: anyone else is sent to the page that explains why. */
export function ownerAction<K extends string = never, T = undefined>(
  input: FormInput<K, T>,
  run: (owner: OwnerContext, call: FormCall<K, T>) => Promise<ActionState>,
): FormAction {
  return async (_state, form) => {
    const owner = await requireOwner();
    const read = readForm(input, form, uuidSchema);
    return read.ok ? run(owner, read.call) : read.state;
  };
}

/** An action of the signed-in person's own settings; a signed-out visitor is sent to sign in, then back to `returnTo`. */
export function userAction<K extends string = never, T = undefined>(
  returnTo: string,
  input: FormInput<K, T>,
  run: (user: UserSummary, call: FormCall<K, T>) => Promise<ActionState>,
): FormAction {
  return async (_state, form) => {
    const user = await requireUser(returnTo);
    const read = readForm(input, form, uuidSchema);
    return read.ok ? run(user, read.call) : read.state;
  };
}

/** An action of the admin pages: anyone else gets a 404. */
export function adminAction<K extends string = never, T = undefined>(
  input: FormInput<K, T>,
  run: (admin: UserSummary, call: FormCall<K, T>) => Promise<ActionState>,
): FormAction {
  return async (_state, form) => {
    const admin = await requireAdmin();
    const read = readForm(input, form, rowId);
    return read.ok ? run(admin, read.call) : read.state;
  };
}
