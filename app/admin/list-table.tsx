/** The frame of an admin search result: a "nothing matches" box, or a table with its column headers. */
export function ListTable({
  caption,
  empty,
  columns,
  children,
}: {
  caption: string;
  /** Shown instead of the table when there are no rows. */
  empty: string | null;
  columns: { label: string; right?: boolean }[];
  children: React.ReactNode;
}) {
  if (empty) {
    return (
      <div className="mt-6 rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center">
        <p className="font-medium">{empty}</p>
      </div>
    );
  }
  return (
    <div tabIndex={0} role="region" aria-label={caption} className="mt-6 overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={`px-3 py-3${c.right ? ' text-right' : ''}`}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">{children}</tbody>
      </table>
    </div>
  );
}
