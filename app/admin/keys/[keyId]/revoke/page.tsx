import type { Metadata } from 'next';
import { revokeKeyAction } from '../actions';
import { ReasonStep, requireFreshAdminForStep } from '../reason-step';

export const metadata: Metadata = { title: 'Admin · Revoke API key' };

export default async function RevokeKeyPage({ params }: { params: Promise<{ keyId: string }> }) {
  const keyId = await requireFreshAdminForStep(params, 'revoke');
  return (
    <ReasonStep
      keyId={keyId}
      verb="Revoke"
      refusal={(state) => (state === 'revoked' ? 'This key has already been revoked.' : null)}
      explanation={
        <>
          Revoking is <strong>permanent</strong>: the key stops working at once and can never be activated or used again. It stays listed as
          Revoked, and its owner sees the reason.
        </>
      }
      action={revokeKeyAction}
      submitLabel="Revoke permanently"
      danger
    />
  );
}
