import type { Db } from '@/db/client';
import { AlreadyClaimed } from '@/db/queries/replay-claims';
import type { Awaitable } from '@/lib/platform/awaitable';
import type { ApiAction } from './action';
import { parseBody, parseParams } from './call-params';
import type { ApiKeyRecord } from './key-store';
import type { ReplayGuard } from './replay-guard';
import { errorResponse, okResponse, type ApiResponse } from './responses';
import type { UsageRecorder } from './usage';

/** A retry that arrived while its first copy has not answered within seconds (or never will). */
const STILL_RUNNING: ApiResponse = {
  status: 503,
  body: { error: 'The same request is still being processed; retry in a moment' },
  headers: { 'Retry-After': '1' },
};

/**
 * A mutating REST call takes effect once per signature, and a retry gets the first answer
 * (./replay-guard.ts), one of two ways: the guard claims the call before it runs and records its
 * answer after; or an action that `claimsOwnReplay` (./action.ts) claims it in the transaction
 * that takes its effect and records the answer there.
 */
export class OnceOnly {
  constructor(
    private readonly replay: ReplayGuard,
    private readonly usage: UsageRecorder,
    private readonly db: () => Db,
  ) {}

  /** Runs an admitted mutating call once (`perform` parses and runs it); a retry gets the first answer. */
  async perform(
    key: ApiKeyRecord,
    action: ApiAction,
    signature: string,
    rawBody: Buffer,
    now: Date,
    ip: string | null,
    perform: () => Awaitable<ApiResponse>,
  ): Promise<ApiResponse> {
    if (action.permission !== null && action.claimsOwnReplay) {
      const answer = await this.claimedByAction(key, action, signature, rawBody, now, ip);
      if (answer) return answer;
    }
    if (!(await this.replay.claim(key.id, signature, now))) return this.repeated(key, action, signature, now, ip);
    this.usage.accepted(key.id, action.name, ip, now);
    const response = await perform();
    // A 503 decided nothing (its transaction rolled back, or never reached the database): the
    // retry it asks for must run, not be answered 503 again. If the release fails too, the
    // claim answers "still being processed" (503) until it expires.
    if (response.status === 503) await this.replay.release(key.id, signature).catch(() => undefined);
    else this.replay.settle(key.id, signature, response);
    return response;
  }

  /**
   * A call of an action that claims it in its own transaction: the claim, the effect and the
   * answer its retries get commit together — one transaction instead of a claim, the effect and
   * an answer in turn — and a call that fails there leaves no claim behind. Malformed params
   * (refused before anything runs) go the general way: null.
   */
  private async claimedByAction(
    key: ApiKeyRecord,
    action: ApiAction & { permission: NonNullable<ApiAction['permission']> },
    signature: string,
    rawBody: Buffer,
    now: Date,
    ip: string | null,
  ): Promise<ApiResponse | null> {
    let params: unknown;
    try {
      params = parseParams(action, parseBody(rawBody));
    } catch {
      return null;
    }
    const once = this.replay.ticket(key.id, signature, now);
    try {
      const data = await action.handler({ db: this.db(), accountId: key.accountId, apiKeyId: key.id, now, once }, params);
      this.usage.accepted(key.id, action.name, ip, now);
      return okResponse(data);
    } catch (error) {
      if (error instanceof AlreadyClaimed) return this.repeated(key, action, signature, now, ip);
      this.usage.accepted(key.id, action.name, ip, now);
      return errorResponse(error);
    }
  }

  /** A copy of a call claimed first: counted as a repeat, answered the first copy's answer. */
  private async repeated(key: ApiKeyRecord, action: ApiAction, signature: string, now: Date, ip: string | null): Promise<ApiResponse> {
    this.usage.refused(key.id, action.name, ip, now, 'rest', 'replay');
    return (await this.replay.firstResponse(key.id, signature)) ?? STILL_RUNNING;
  }
}
