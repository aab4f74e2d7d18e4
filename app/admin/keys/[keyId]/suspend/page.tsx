import type { Metadata } from 'next';
import { suspendKeyAction } from '../actions';
import { ReasonStep, requireFreshAdminForStep } from '../reason-step';

export const metadata: Metadata = { title: 'Admin · Suspend API key' };

export default async function SuspendKeyPage({ params }: { params: Promise<{ keyId: string }> }) {
  const keyId = await requireFreshAdminForStep(params, 'suspend');
  return (
    <ReasonStep
      keyId={keyId}
      verb="Suspend"
      refusal={(state) =>
        state === 'revoked'
          ? 'This key has been revoked; there is nothing to suspend.'
          : state === 'suspended'
            ? 'This key is already suspended.'
            : null
      }
      explanation={
        <>
          The key stops working at once. Its owner sees “Suspended by an administrator: <em>reason</em>” and cannot activate it until the
          suspension is lifted.
        </>
      }
      action={suspendKeyAction}
      submitLabel="Suspend key"
    />
  );
}
