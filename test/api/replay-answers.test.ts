import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiReplayGuard } from '@/db/schema';
import { ApiGateway } from '@/lib/api/gateway';
import { PERMISSIONS } from '@/lib/keys/permissions';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { signed } from '../support/api';
import { makeKey, type TestKey } from '../support/keys';
import { balanceOf } from '../support/ledger';
import { captureLogs } from '../support/log-capture';

/**
 * A mutating call's answer is recorded for its retries after the caller has it: the caller never
 * waits for that write, nor loses its answer when the write fails (lib/api/replay-guard.ts).
 */
let handle: TestDatabase;
let gateway: ApiGateway;
let atlas: string;
let key: TestKey;

beforeAll(async () => {
  handle = await createSeededTestDatabase();
  gateway = new ApiGateway(() => handle.db);
  atlas = await accountIdOf(handle.db, 'Atlas Capital');
  key = await makeKey(handle.db, { accountId: atlas, permissions: [...PERMISSIONS] });
});
afterAll(async () => handle?.dispose());
afterEach(async () => {
  vi.restoreAllMocks();
  await handle.db.execute(sql`drop trigger if exists hold_answers on api_replay_guard`);
});

/** A trigger on the guard's answers (an UPDATE of a claim): the answer's write runs `body`. */
async function onAnswerWrite(body: string) {
  await handle.db.execute(
    sql.raw(
      `create or replace function keydesk_test_hold_answers() returns trigger language plpgsql as $$ begin ${body}; return new; end $$`,
    ),
  );
  await handle.db.execute(
    sql`create trigger hold_answers before update on api_replay_guard for each row execute function keydesk_test_hold_answers()`,
  );
}

const transfer = (toAccountId: string) =>
  signed(key, 'do_my_internal_transfer', { fromAccountId: '', toAccountId, currency: 'USD', amount: '1' });

const answerOf = async (request: ReturnType<typeof transfer>) => {
  const [row] = await handle.db
    .select({ status: apiReplayGuard.responseStatus })
    .from(apiReplayGuard)
    .where(eq(apiReplayGuard.signature, `${key.id}:${request.signature}`));
  return row?.status ?? null;
};

describe("a mutating call's answer, kept for its retries", () => {
  it('reaches the caller even when it cannot be recorded; the failure is logged, and the effect stands', async () => {
    const logs = captureLogs();
    await onAnswerWrite(`raise exception 'answers cannot be written'`);
    const request = transfer('answer-lost');
    const first = await gateway.rest(request);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.ok).toBe('ok');
    await gateway.flush();
    expect(logs.join('\n')).toContain('could not record the answer to a mutating API call');
    expect(await answerOf(request)).toBeNull();
    expect((await balanceOf(handle.db, atlas, 'answer-lost', 'USD')).available).toBe('1');
  });

  it('is written by the time flush() returns, however slow its write (a node stopping)', async () => {
    await onAnswerWrite('perform pg_sleep(0.5)');
    const request = transfer('answer-slow');
    const first = await gateway.rest(request);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    await gateway.flush();
    expect(await answerOf(request)).toBe(200);
    // A retry gets the recorded answer, and moves nothing again.
    expect(await gateway.rest(request)).toEqual(first);
    expect((await balanceOf(handle.db, atlas, 'answer-slow', 'USD')).available).toBe('1');
  });
});
