import { ButtonLink } from '@/components/button-link';
import { FormNotice } from '@/components/field';
import { getDb } from '@/lib/platform/database';
import { timedStep } from '@/lib/platform/page-timing';
import { listAccountKeys } from '@/db/queries/api-keys';
import { KeysTable } from './keys-table';

const NOTICES: Record<string, string> = {
  activated: 'The API key is active.',
  later: 'The API key was created and is inactive. Activate it from this list when you need it.',
  deactivated: 'The API key is inactive: it stopped working at once. Activate it again when you need it.',
  edited: 'The changes were saved and apply at once.',
  'edited-inactive': 'The changes were saved. They widen access, so the key is inactive until you activate it again with an email code.',
  deleted: 'The API key was deleted. It no longer works.',
  gone: 'That API key no longer exists: it was deleted. Nothing was changed.',
  'all-deactivated':
    'Every active API key was deactivated and your other browsers were signed out. Change your password if you have not yet.',
};

/** The key list with its header; the dialogs of the create flow are drawn over it. */
export async function KeysOverview({ accountId, notice }: { accountId: string; notice?: string }) {
  const keys = await timedStep('data', () => listAccountKeys(getDb(), accountId));
  return (
    <section>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold">API Keys Management</h1>
        <div className="flex flex-wrap gap-3">
          {/* For the moment something looks wrong: the same step as the security emails' "This wasn't me" link. */}
          {keys.some((key) => key.status === 'active') ? (
            <ButtonLink href="/settings/api-keys/deactivate-all" variant="secondary">
              Deactivate all keys
            </ButtonLink>
          ) : null}
          <ButtonLink href="/settings/api-keys/new">+ NEW API KEY</ButtonLink>
        </div>
      </div>
      {notice && NOTICES[notice] ? (
        <div className="mt-4">
          <FormNotice message={NOTICES[notice]} />
        </div>
      ) : null}
      <KeysTable keys={keys} />
    </section>
  );
}
