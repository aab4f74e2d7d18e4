'use client';

import { TextField } from './field';
import { useHydrated } from './use-hydrated';
import { useNow } from './use-now';
import { EXPIRY_CHOICE_LABELS, EXPIRY_CHOICES, expiryText, resolveExpiry } from '@/lib/keys/expiry';

/** The expiry as the form holds it: the choice and the date typed for "On a date…". */
export interface ExpiryDraft {
  choice: string;
  date: string;
}

/** "Expires 2027-03-03 00:00 UTC" for what is picked now; the server computes it again on submit. */
function ExpiryResult({ draft, keep }: { draft: ExpiryDraft; keep: Date | null }) {
  const now = useNow();
  const outcome = now === null ? null : resolveExpiry(draft, new Date(now), { keep });
  return (
    <p id="expiry-result" aria-live="polite" className="mt-2 text-sm text-slate-700">
      {outcome?.ok ? expiryText(outcome.expiresAt, new Date(now!)) : null}
    </p>
  );
}

/**
 * When the key stops working: No expiry, 30 / 90 / 365 days, or a date. Without JavaScript the date
 * input is always there (used only with "On a date…"); with it, the input shows for that choice
 * and the resulting expiry is spelled out next to the choice. The error (one for the pair) sits
 * under the group and goes once either input changes.
 */
export function ExpiryField({
  initial,
  draft,
  error,
  keep = null,
}: {
  initial: ExpiryDraft;
  draft: ExpiryDraft;
  error?: string;
  /** An edit's current expiry, which may stay even once passed. */
  keep?: Date | null;
}) {
  const hydrated = useHydrated();
  const dateShown = !hydrated || draft.choice === 'date';
  return (
    <fieldset aria-describedby={[hydrated ? 'expiry-result' : null, error ? 'expiry-error' : null].filter(Boolean).join(' ') || undefined}>
      <legend className="text-sm font-medium text-slate-800">Expiry</legend>
      <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
        {EXPIRY_CHOICES.map((choice) => (
          <label key={choice} className="inline-flex items-center gap-2 text-sm text-slate-900">
            <input type="radio" name="expiry" value={choice} defaultChecked={initial.choice === choice} />
            {EXPIRY_CHOICE_LABELS[choice]}
          </label>
        ))}
      </div>
      <div hidden={!dateShown} className="mt-3">
        <TextField
          label={hydrated ? 'Expiry date' : 'Expiry date (with “On a date…”)'}
          name="expiresOn"
          type="date"
          data-field="expiry"
          defaultValue={initial.date}
          hint="The key stops working at 00:00 UTC on this date."
        />
      </div>
      {hydrated ? <ExpiryResult draft={draft} keep={keep} /> : null}
      {error ? (
        <p id="expiry-error" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
