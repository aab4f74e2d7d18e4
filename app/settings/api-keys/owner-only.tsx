/** What members, standard-account owners and admins see instead of API Keys Management. */
export function OwnerOnly() {
  return (
    <section>
      <h1 className="text-2xl font-semibold">API Keys Management</h1>
      <div role="alert" className="mt-6 rounded-xl border border-amber-200 bg-amber-50 p-5 text-amber-900">
        <p className="font-semibold">API Keys Management is available only to the owner of the Prime Liquidity account.</p>
        <p className="mt-1 text-sm">Ask the account owner to create or change API keys.</p>
      </div>
    </section>
  );
}
