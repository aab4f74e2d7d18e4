'use client';

import { useState, type FormEvent } from 'react';
import { fieldErrors, type ActionState } from '@/lib/web/action-state';

export interface LiveFieldErrors {
  /** Every message still standing for the field. */
  all: (field: string) => string[];
  /** The first message still standing for the field. */
  first: (field: string) => string | undefined;
  /** For the form's onChange: whatever field changed loses its errors. */
  onChange: (event: FormEvent<HTMLFormElement>) => void;
}

/**
 * The field errors of a form's last submit, each dropped as soon as its field changes: an error
 * describes what was submitted, and once the person edits that field it no longer does. The
 * server still checks everything on the next submit (without JavaScript it re-renders the page
 * with its own verdict, so nothing stale can stay there either).
 */
export function useFieldErrors(state: ActionState): LiveFieldErrors {
  const [edited, setEdited] = useState<{ after: ActionState; fields: ReadonlySet<string> }>({ after: state, fields: new Set() });
  // A new submit brings a new state: its errors all stand until their fields change again.
  const fields = edited.after === state ? edited.fields : new Set<string>();
  const all = (field: string) => (fields.has(field) ? [] : fieldErrors(state, field));
  return {
    all,
    first: (field) => all(field)[0],
    onChange: (event) => {
      const target = event.target;
      // An input may answer for another field's errors (data-field), e.g. the expiry date for the expiry choice.
      const field = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ? target.dataset.field || target.name : '';
      if (field && all(field).length > 0) setEdited({ after: state, fields: new Set([...fields, field]) });
    },
  };
}
