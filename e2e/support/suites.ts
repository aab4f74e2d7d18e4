import { test } from '@playwright/test';
import { currentRun } from './run-environment';

/** True in the browser suite's PostgreSQL run (.ci/run's second pass), where DATABASE_URL is set. */
export const isPostgresRun = (): boolean => Boolean(currentRun()?.serverEnv.DATABASE_URL);

/**
 * Skips the calling spec file in the PostgreSQL run: for specs whose subject does not depend on
 * the database (layout, colours, axe) or that never use it (servers of their own on PGlite). The
 * suite runs twice in CI, which must stay under 20 minutes; these gain nothing from the second run.
 */
export function onlyInThePgliteRun(why: string): void {
  test.skip(isPostgresRun(), why);
}
