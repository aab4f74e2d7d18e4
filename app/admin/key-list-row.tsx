'use client';

import Link from 'next/link';
import { StatusBadge } from '@/components/status-badge';
import type { KeyState } from '@/lib/keys/state';

/**
 * One row of the admin keys list, as the server wrote it (keys-table.tsx `keyListRowView`): its
 * texts only. Drawn by a server component, each row's whole tree also travelled in the page's RSC
 * payload; as a client component the payload carries these few strings, and the HTML is the same.
 */
export interface KeyListRowView {
  id: string;
  name: string;
  state: KeyState;
  accountName: string;
  /** "Prime Liquidity · owner@example.com". */
  accountLine: string;
  permissions: string;
  publicKey: string;
  created: string;
  updated: string;
  /** Null for a key never used. */
  lastUsed: { at: string; ip: string } | null;
}

export function KeyListRow({ row }: { row: KeyListRowView }) {
  return (
    <tr>
      <th scope="row" className="min-w-44 px-3 py-3 font-medium">
        <Link href={`/admin/keys/${row.id}`} prefetch={false} className="block text-brand underline">
          {row.name}
        </Link>
        <StatusBadge status={row.state} className="mt-1" />
      </th>
      <td className="px-3 py-3">
        <span className="block">{row.accountName}</span>
        <span className="block text-xs text-slate-600">{row.accountLine}</span>
      </td>
      <td className="px-3 py-3">{row.permissions}</td>
      <td className="px-3 py-3 font-mono text-xs whitespace-nowrap">{row.publicKey}</td>
      <td className="px-3 py-3 whitespace-nowrap">{row.created}</td>
      <td className="px-3 py-3 whitespace-nowrap">{row.updated}</td>
      <td className="px-3 py-3 whitespace-nowrap">
        {row.lastUsed ? (
          <>
            {row.lastUsed.at}
            <span className="block text-xs text-slate-600">{row.lastUsed.ip}</span>
          </>
        ) : (
          'Never'
        )}
      </td>
    </tr>
  );
}
