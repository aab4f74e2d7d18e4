import { CopyButton } from './copy-button';
import { SecretDownload } from './secret-download';

/**
 * The one-time reveal of an API secret, shared by a new key and a rotated secret: each value
 * in a definition named by its term, with a copy button, and the "save it now" notice.
 */

export function RevealedValue({ label, value, id }: { label: string; value: string; id: string }) {
  return (
    <div>
      <dt className="text-sm font-medium text-slate-800">{label}</dt>
      <dd className="mt-1 flex items-center gap-2">
        <code className="flex-1 rounded bg-slate-100 px-3 py-2 font-mono text-sm break-all" data-testid={id}>
          {value}
        </code>
        <CopyButton value={value} label={`Copy ${label}`} />
      </dd>
    </div>
  );
}

/** Save now (with a download of key and secret), or — on any later view — that it cannot be shown again. */
export function SecretSaveNotice({
  name,
  publicKey,
  secret,
  gone,
}: {
  name: string;
  publicKey: string;
  secret: string | null;
  gone: string;
}) {
  return secret ? (
    <div className="flex items-center justify-between gap-3 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
      <p>Save the API Secret now. It is shown only once and cannot be recovered.</p>
      <SecretDownload name={name} apiKey={publicKey} secret={secret} />
    </div>
  ) : (
    <p role="status" className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-800">
      {gone}
    </p>
  );
}
