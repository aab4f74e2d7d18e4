/** What a server action hands back to its form when it does not redirect. */
export type ActionState =
  | { status: 'idle' }
  | { status: 'ok'; message: string }
  | {
      status: 'error';
      message?: string;
      fieldErrors?: Record<string, string[] | undefined>;
      /** What the person typed, handed back so a failed submit loses nothing (never a password or code). */
      values?: Record<string, string | string[]>;
    };

export const IDLE: ActionState = { status: 'idle' };

export function fieldError(state: ActionState, field: string): string | undefined {
  return state.status === 'error' ? state.fieldErrors?.[field]?.[0] : undefined;
}

export function formError(state: ActionState): string | undefined {
  return state.status === 'error' ? state.message : undefined;
}

export function submittedValue(state: ActionState, field: string): string | undefined {
  const value = state.status === 'error' ? state.values?.[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** Every message for a field, e.g. each bad entry of the IP whitelist. */
export function fieldErrors(state: ActionState, field: string): string[] {
  return state.status === 'error' ? (state.fieldErrors?.[field] ?? []) : [];
}
