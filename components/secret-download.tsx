'use client';

/** Saves key and secret to a file from the page itself: the secret is never fetched again. */
export function SecretDownload({ name, apiKey, secret }: { name: string; apiKey: string; secret: string }) {
  return (
    <button
      type="button"
      className="rounded-md border border-slate-300 bg-white px-3 py-1 text-xs font-semibold text-slate-800 hover:bg-slate-100"
      onClick={() => {
        const text = `Keydesk API key "${name}"\nAPI Key: ${apiKey}\nAPI Secret: ${secret}\n`;
        const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
        const link = Object.assign(document.createElement('a'), { href: url, download: `keydesk-api-key-${apiKey.slice(0, 11)}.txt` });
        link.click();
        URL.revokeObjectURL(url);
      }}
    >
      Download
    </button>
  );
}
