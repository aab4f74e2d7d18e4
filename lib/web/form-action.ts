import 'server-only';
import { notFound, redirect } from 'next/navigation';
import type { z } from 'zod';
import type { OwnerContext } from '@/lib/identity/owner';
import type { UserSummary } from '@/db/queries/users';
import type { ActionState } from './action-state';
import { adminAccess, requireOwner, requireUser, stepUpHref } from './auth';
import { codeSchema, firstErrors, uuidSchema } from './form-schemas';
import { rowId } from '@/lib/admin/search-params';
import { ADMIN_TWO_FACTOR_REQUIRED } from '@/lib/identity/step-up';

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

/**
 * Every action of ours is posted a form. A hand-made request can give an action any arguments (a
 * string, nothing): that is answered 404, as a malformed id is, and never reaches `form.get` — a
 * 500. Each action that reads a form calls it first; the wrappers below do (readIds).
 */
export function assertPostedForm(value: unknown): asserts value is FormData {
  if (!(value instanceof FormData)) notFound();
}

function readIds<K extends string>(names: readonly K[], form: FormData, idSchema: z.ZodType<string>): Record<K, string> {
  assertPostedForm(form);
  const ids = {} as Record<K, string>;
  for (const name of names) {
    const parsed = idSchema.safeParse(form.get(name));
    if (!parsed.success) notFound();
    ids[name] = parsed.data;
  }
  return ids;
}

function readForm<K extends string, T>(input: FormInput<K, T>, form: FormData, idSchema: z.ZodType<string>): Read<K, T> {
  const ids = readIds(input.ids ?? [], form, idSchema);
  if (!input.fields) return { ok: true, call: { ids, data: undefined as T, form } };
  const values = input.fields.echo?.(form);
  const parsed = input.fields.schema.safeParse(input.fields.read(form));
  if (!parsed.success) return { ok: false, state: { status: 'error', fieldErrors: firstErrors(parsed.error), ...(values && { values }) } };
  return { ok: true, call: { ids, data: parsed.data, values, form } };
}

/**
 * An action of the account owner's pages (API keys, unless `page` names another owner-only page):
 * anyone else is sent to the page that explains why.
 */
export function ownerAction<K extends string = never, T = undefined>(
  input: FormInput<K, T> & { page?: string },
  run: (owner: OwnerContext, call: FormCall<K, T>) => Promise<ActionState>,
): FormAction {
  return async (_state, form) => {
    const owner = await requireOwner(input.page);
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

export interface AdminFormInput<K extends string, T> extends FormInput<K, T> {
  /** The page to come back to after confirming it's you, when this session's second factor is not fresh. */
  stepUpReturn: (ids: Record<K, string>) => string;
}

const NEEDS_TWO_FACTOR: ActionState = { status: 'error', message: ADMIN_TWO_FACTOR_REQUIRED };

/**
 * An action of the admin pages: anyone else gets a 404; an admin without a second factor is
 * refused; an admin whose session has not passed one in the last 10 minutes is sent to confirm
 * it's them (then back to `stepUpReturn`), and nothing happens until they have.
 */
export function adminAction<K extends string = never, T = undefined>(
  input: AdminFormInput<K, T>,
  run: (admin: UserSummary, call: FormCall<K, T>) => Promise<ActionState>,
): FormAction {
  return async (_state, form) => {
    const access = await adminAccess();
    if (access.kind !== 'ok') return NEEDS_TWO_FACTOR;
    const ids = readIds(input.ids ?? [], form, rowId);
    if (!access.fresh) redirect(stepUpHref(input.stepUpReturn(ids)));
    const read = readForm(input, form, rowId);
    return read.ok ? run(access.admin, read.call) : read.state;
  };
}

/** The admin's "confirm it's you" step itself: an admin with a second factor, fresh or not. */
export function adminStepUpAction<T = undefined>(
  input: FormInput<never, T>,
  run: (admin: UserSummary, call: FormCall<never, T>) => Promise<ActionState>,
): FormAction {
  return async (_state, form) => {
    const access = await adminAccess();
    if (access.kind !== 'ok') return NEEDS_TWO_FACTOR;
    const read = readForm(input, form, rowId);
    return read.ok ? run(access.admin, read.call) : read.state;
  };
}
