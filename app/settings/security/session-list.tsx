import { SubmitButton } from '@/components/submit-button';
import type { SessionView } from '@/lib/identity/sessions';
import { formatUtc } from '@/lib/messaging/wording';
import { endOtherSessionsAction, endSessionAction } from './session-actions';

/** Settings › Security › Sessions: every signed-in browser, this one first, each of the others with End. */
export function SessionList({ sessions }: { sessions: SessionView[] }) {
  const others = sessions.filter((s) => !s.current).length;
  return (
    <>
      <h2 className="mt-10 text-lg font-semibold">Sessions</h2>
      <p className="text-sm text-slate-600">
        The browsers signed in to your account. Ending a session signs that browser out at its next request.
      </p>
      <ul aria-label="Signed-in browsers" className="mt-4 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
        {sessions.map((session) => (
          <li key={session.id} className="flex flex-wrap items-center justify-between gap-4 px-5 py-4">
            <div className="min-w-0">
              <h3 className="font-medium">
                {session.device}
                {session.current ? (
                  <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-800">This browser</span>
                ) : null}
              </h3>
              <p className="text-sm break-words text-slate-600">
                {session.ip ?? 'Unknown address'} · last seen {formatUtc(session.lastSeenAt)} · signed in {formatUtc(session.createdAt)}
              </p>
            </div>
            {session.current ? null : (
              <form action={endSessionAction}>
                <input type="hidden" name="sessionId" value={session.id} />
                <SubmitButton variant="secondary">
                  End session
                  <span className="sr-only">
                    {' '}
                    of {session.device}, {session.ip ?? 'unknown address'}
                  </span>
                </SubmitButton>
              </form>
            )}
          </li>
        ))}
      </ul>
      {others > 0 ? (
        <form action={endOtherSessionsAction} className="mt-4">
          <SubmitButton variant="secondary">End all other sessions ({others})</SubmitButton>
        </form>
      ) : null}
    </>
  );
}
