import type { Db } from '@/db/client';
import { errorText, log } from '@/lib/platform/log';
import { sendDueReminders } from './reminders';
import { clearEndedGraces } from './rotate';

export interface RunningReminders {
  /** Stops the timer, then waits for the pass under way. */
  stop: () => Promise<void>;
  /** Runs one pass now (tests; the timer runs them every `everyMs`). */
  runOnce: () => Promise<number>;
}

/**
 * The key reminders (./reminders.ts) and the sweep of ended rotation graces (./rotate.ts), in the server process. Every app process runs one; the
 * reminder rows make each reminder go out once whoever gets there first. A pass runs soon after
 * start-up too, so a restart catches up on what came due while the server was down.
 */
export function startKeyReminders(db: () => Db, everyMs: number): RunningReminders {
  let running: Promise<number> | null = null;
  const runOnce = () => {
    // The same timer deletes rotated-away secrets whose grace is over (the API refuses them already).
    running ??= sendDueReminders(db())
      .then(async (sent) => {
        await clearEndedGraces(db());
        if (sent > 0) log.info({ sent }, 'key reminders queued');
        return sent;
      })
      .catch((error: unknown) => {
        // A database outage must not stop the timer; the next pass catches up.
        log.error({ err: errorText(error) }, 'sending key reminders failed');
        return 0;
      })
      .finally(() => (running = null));
    return running;
  };
  const first = setTimeout(() => void runOnce(), Math.min(everyMs, 5_000));
  const timer = setInterval(() => void runOnce(), everyMs);
  first.unref();
  timer.unref();
  return {
    runOnce,
    stop: async () => {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
