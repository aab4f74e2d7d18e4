import { ButtonLink } from '@/components/button-link';
import { previousSecretInForce } from '@/lib/keys/grace';
import { utcMinute } from '@/lib/platform/utc-time';

/**
 * The key page's secret section: Rotate secret, and while a rotation's grace lasts, until when
 * the previous secret still works (`previousEnds`, read with the key).
 */
export function SecretRotation({
  keyId,
  previousEnds,
  revoked,
  now,
}: {
  keyId: string;
  previousEnds: Date | null;
  revoked: boolean;
  now: Date;
}) {
  const inGrace = previousSecretInForce(previousEnds, now) ? previousEnds : null;
  return (
    <section aria-labelledby="secret-heading" className="mt-8">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="secret-heading" className="text-lg font-semibold">
          API secret
        </h2>
        {revoked ? null : (
          <ButtonLink href={`/settings/api-keys/${keyId}/rotate`} variant="secondary">
            Rotate secret
          </ButtonLink>
        )}
      </div>
      <p className="mt-2 text-sm text-slate-700" data-testid="previous-secret">
        {inGrace
          ? `Rotated: the previous secret is valid until ${utcMinute(inGrace)}, alongside the new one.`
          : 'Shown once when it was made. Rotate it to get a new one; you choose how long the old one keeps working.'}
      </p>
    </section>
  );
}
