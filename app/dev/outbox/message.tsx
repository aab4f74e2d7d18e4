import type { OutboxMessage } from '@/db/queries/outbox';

/**
 * One message as its reader would see it. An email's HTML part is drawn in a sandboxed iframe
 * (`sandbox=""`: no scripts, no forms, no same-origin access, no top navigation) from `srcDoc`,
 * so whatever it holds cannot touch this page; its plain-text part is shown below it.
 */
export function OutboxMessageView({ message }: { message: OutboxMessage }) {
  const sentAt = message.createdAt.toISOString();
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4">
      <p className="text-xs text-slate-500">
        {message.channel === 'sms' ? 'SMS' : 'Email'} to {message.destination} ·{' '}
        <time dateTime={sentAt}>{sentAt.slice(0, 19).replace('T', ' ')} UTC</time>
      </p>
      {message.subject && (
        <p className="mt-1 font-semibold text-slate-900">
          <span className="font-normal text-slate-600">Subject: </span>
          {message.subject}
        </p>
      )}
      {message.html ? (
        <>
          <iframe
            title={`Email: ${message.subject ?? 'message'}`}
            sandbox=""
            srcDoc={message.html}
            referrerPolicy="no-referrer"
            className="mt-3 h-[34rem] w-full rounded border border-slate-200 bg-white"
          />
          <details open className="mt-3">
            <summary className="cursor-pointer text-sm text-slate-700">Plain-text part</summary>
            <pre className="mt-2 font-mono text-sm whitespace-pre-wrap text-slate-900">{message.body}</pre>
          </details>
        </>
      ) : (
        <p className="mt-1 whitespace-pre-wrap text-slate-900">{message.body}</p>
      )}
    </li>
  );
}
