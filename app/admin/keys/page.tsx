import type { Metadata } from 'next';
import { getDb } from '@/lib/platform/database';
import { pipelinedReads } from '@/db/client';
import { timedStep } from '@/lib/platform/page-timing';
import { findAccountName } from '@/db/queries/admin-accounts';
import { resultCount } from '@/lib/admin/cursor';
import { countKeys, keysHref, loadKeysPage, parseKeyListParams } from '@/lib/admin/key-list';
import { requireAdmin } from '@/lib/web/auth';
import type { RawParams } from '@/lib/admin/search-params';
import { KeyFilters } from '../key-filters';
import { AdminKeysTable } from '../keys-table';
import { Pager } from '../pager';
import { ParamErrors } from '../param-errors';
import { ResultCount } from '../result-count';

export const metadata: Metadata = { title: 'Admin · API keys' };

/** Every key of every account: searched, filtered, sorted and paged by keyset, on the server. */
export default async function AdminKeysPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  await requireAdmin();
  const parsed = parseKeyListParams(await searchParams);
  const heading = <h1 className="text-2xl font-semibold">API keys</h1>;
  if (!parsed.ok) {
    return (
      <section>
        {heading}
        <KeyFilters values={parsed.values} />
        <ParamErrors errors={parsed.errors} resetHref="/admin/keys" />
      </section>
    );
  }
  const { query } = parsed;
  const now = new Date();
  const [page, total, accountName] = await timedStep('data', () =>
    pipelinedReads(getDb(), (reads) =>
      Promise.all([
        loadKeysPage(reads, query, now),
        countKeys(reads, query, now),
        query.account ? findAccountName(reads, query.account) : null,
      ]),
    ),
  );
  return (
    <section>
      {heading}
      <KeyFilters values={{ ...query, cursor: undefined, direction: undefined }} accountName={accountName} />
      <ResultCount text={resultCount(total, 'key', 'keys')} />
      <AdminKeysTable keys={page.rows} query={query} />
      <Pager
        label="Keys pages"
        prevHref={page.prev ? keysHref(query, { before: page.prev }) : null}
        nextHref={page.next ? keysHref(query, { after: page.next }) : null}
      />
    </section>
  );
}
