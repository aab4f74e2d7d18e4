import type { Db } from '@/db/client';
import { andThen, type Awaitable } from '@/lib/platform/awaitable';
import { withDeadline } from '@/lib/platform/database';
import { isIpAllowed } from '@/lib/platform/ip-whitelist';
import { apiCallEnded, apiCallStarted, countApiCall } from '@/lib/platform/metrics';
import type { ApiAction } from './action';
import { ApiError, authFailed, serviceUnavailable } from './errors';
import { KeyStore, secretUsed, type ApiKeyRecord } from './key-store';
import { LastUsedTracker } from './last-used';
import type { ApiTransport, RefusalDetail, RefusalReason } from './refusals';
import { UsageRecorder } from './usage';
import { RateLimiter } from './rate-limit';
import { findAction } from './registry';
import { ReplayGuard } from './replay-guard';
import { OnceOnly } from './once';
import { parseBody, parseParams } from './call-params';
import { restSignature, signaturesMatch } from './signing';
import { timestampRefusalDetail, timestampWithin, unusableKeyRefusal } from './key-checks';
import { errorResponse, okResponse, type ApiResponse } from './responses';

const REST_TIMESTAMP_WINDOW_SECONDS = 30;
export const MAX_BODY_BYTES = 64 * 1024;

export interface RestRequest {
  action: string;
  key: string | null;
  timestamp: string | null;
  signature: string | null;
  rawBody: Buffer;
  ip: string | null;
  /** X-ON-BEHALF-OF-USER-ID, if sent: CEX.IO's sub-user calls, which Keydesk does not offer. */
  onBehalfOf?: string | null;
}

const withDeadlineIfAny = <T>(work: Promise<T>, ms: number | undefined): Promise<T> => (ms ? withDeadline(work, ms) : work);

export interface GatewayOptions {
  /** The longest a call may wait for the database before it is answered 503. */
  deadlineMs?: number;
  /** Calls answered at once with 503 beyond this many in flight in this process. */
  maxInFlight?: number;
}

/**
 * Checks every call in the documented order — key, signature, timestamp, key state, caller IP,
 * permission, rate limit — then runs the action from the registry.
 */
export class ApiGateway {
  readonly keys: KeyStore;
  readonly limiter: RateLimiter;
  readonly lastUsed: LastUsedTracker;
  readonly usage: UsageRecorder;
  private readonly replay: ReplayGuard;
  private readonly once: OnceOnly;

  /**
   * `deadlineMs`: the longest a call may wait for the database before it is answered 503 (set on
   * PostgreSQL, which can be down; PGlite runs in this process).
   */
  private inFlight = 0;

  constructor(
    private readonly db: () => Db,
    private readonly options: GatewayOptions = {},
  ) {
    this.keys = new KeyStore(db);
    this.limiter = new RateLimiter(db);
    this.lastUsed = new LastUsedTracker(db);
    this.usage = new UsageRecorder(db);
    this.replay = new ReplayGuard(db, REST_TIMESTAMP_WINDOW_SECONDS);
    this.once = new OnceOnly(this.replay, this.usage, db);
  }

  /** Writes now what the gateway keeps to write later: answers for retries, last use, usage (a node stopping). */
  async flush(): Promise<void> {
    await this.replay.flush();
    await this.lastUsed.flush();
    await this.usage.flush();
  }

  /** A call's work, answered 503 if the database keeps it waiting past the deadline. */
  bounded<T>(work: Awaitable<T>): Awaitable<T> {
    return work instanceof Promise ? withDeadlineIfAny(work, this.options.deadlineMs) : work;
  }

  /**
   * A REST call's answer: without a promise when everything it needs is in memory (a cached key,
   * the rate-limit lease, cached balances), which is most calls a bot makes.
   */
  rest(req: RestRequest, now = new Date()): Awaitable<ApiResponse> {
    return andThen(
      this.counted(() => this.checkAndRun(req, now)),
      (response) => {
        countApiCall(findAction(req.action) ? req.action : 'unknown', response.status);
        return response;
      },
    );
  }

  /** A call's answer, bounded by the deadline when it waits, with the in-flight count kept. */
  private counted(run: () => Awaitable<ApiResponse>): Awaitable<ApiResponse> {
    // Past the cap, calls are waiting on a slow or unreachable database: refuse at once, start nothing.
    if (this.options.maxInFlight !== undefined && this.inFlight >= this.options.maxInFlight) return errorResponse(serviceUnavailable());
    this.inFlight++;
    apiCallStarted();
    let answer: Awaitable<ApiResponse>;
    try {
      answer = run();
    } catch (error) {
      answer = errorResponse(error);
    }
    if (!(answer instanceof Promise)) {
      this.ended();
      return answer;
    }
    return withDeadlineIfAny(answer, this.options.deadlineMs).then(
      (response) => (this.ended(), response),
      (error: unknown) => (this.ended(), errorResponse(error)),
    );
  }

  private ended(): void {
    this.inFlight--;
    apiCallEnded();
  }

  private checkAndRun(req: RestRequest, now: Date): Awaitable<ApiResponse> {
    const action = findAction(req.action);
    if (!action) throw new ApiError(400, `Unknown action '${req.action.slice(0, 64)}'`);
    // Running such a call on the key's own account instead would act on the wrong account.
    if (req.onBehalfOf != null) throw new ApiError(400, 'X-ON-BEHALF-OF-USER-ID is not supported: calls run on the API key’s own account');
    if (!req.key) throw authFailed();
    // No named local functions (`const f = () => …`) on this path, only inline ones: the server
    // runs under tsx, whose keepNames wraps each named one in a __name call every time it is created.
    return andThen(this.keys.find(req.key), (key) => {
      if (!key) throw authFailed();
      if (!req.signature || !req.timestamp) throw this.restRefusal(key, action, req, now, 'credentials_missing');
      const { signature, timestamp } = req;
      if (!secretUsed(key, now, (secret) => signaturesMatch(signature, restSignature(secret, req.action, timestamp, req.rawBody)))) {
        throw this.restRefusal(key, action, req, now, 'signature');
      }
      if (!timestampWithin(timestamp, now, REST_TIMESTAMP_WINDOW_SECONDS)) {
        const detail = timestampRefusalDetail(timestamp, now, REST_TIMESTAMP_WINDOW_SECONDS);
        throw this.restRefusal(key, action, req, now, 'timestamp', detail);
      }
      const unusable = unusableKeyRefusal(key, now);
      if (unusable) throw this.restRefusal(key, action, req, now, unusable);
      return andThen(this.admit(key, action, req.ip, now, 'rest'), () =>
        action.mutating
          ? this.once.perform(key, action, signature, req.rawBody, now, req.ip, () => this.perform(key, action, req.rawBody, now))
          : this.perform(key, action, req.rawBody, now),
      );
    });
  }

  private restRefusal(
    key: ApiKeyRecord,
    action: ApiAction,
    req: RestRequest,
    now: Date,
    reason: RefusalReason,
    detail?: RefusalDetail,
  ): ApiError {
    return this.refusal(key, action.name, req.ip, now, 'rest', reason, detail);
  }

  /**
   * Records a refusal of a known key's call for its owner (lib/api/usage.ts) and returns what the
   * caller is answered: "Authorization Failed" unless said otherwise, as CEX.IO answers.
   */
  refusal(
    key: ApiKeyRecord,
    action: string,
    ip: string | null,
    now: Date,
    transport: ApiTransport,
    reason: RefusalReason,
    detail?: RefusalDetail,
    answer: ApiError = authFailed(),
  ): ApiError {
    this.usage.refused(key.id, action, ip, now, transport, reason, detail);
    return answer;
  }

  /** Parses and runs an admitted call; its refusals are its answer (a retry gets the same). */
  private perform(key: ApiKeyRecord, action: ApiAction, rawBody: Buffer, now: Date): Awaitable<ApiResponse> {
    try {
      const data = this.execute(key, action, parseBody(rawBody), now);
      return data instanceof Promise ? data.then(okResponse, errorResponse) : okResponse(data);
    } catch (error) {
      return errorResponse(error);
    }
  }

  publicAction(name: string, rawBody: Buffer, now = new Date()): Awaitable<ApiResponse> {
    return this.publicCall(name, () => parseBody(rawBody), now);
  }

  /**
   * A public action on a WebSocket request's data, as its message's JSON was read: not written out
   * as text again, which JSON.stringify cannot do for data nested thousands deep.
   */
  publicActionWith(name: string, data: unknown, now = new Date()): Awaitable<ApiResponse> {
    return this.publicCall(name, () => data ?? {}, now);
  }

  private publicCall(name: string, params: () => unknown, now: Date): Awaitable<ApiResponse> {
    const action = findAction(name);
    const response = this.counted(() => {
      if (!action || action.permission !== null) throw new ApiError(400, `Unknown action '${name.slice(0, 64)}'`);
      return andThen(action.handler({ db: this.db(), now }, parseParams(action, params())), okResponse);
    });
    return andThen(response, (answer) => {
      countApiCall(action ? name : 'unknown', answer.status);
      return answer;
    });
  }

  /**
   * The checks after authentication, for a REST call or one WebSocket request: the key's state
   * is re-read from the store (a deactivation reaches it at once), then IP, permission, quota.
   * Throws (or rejects with) the refusal.
   */
  admit(key: ApiKeyRecord, action: ApiAction, ip: string | null, now: Date, transport: ApiTransport): Awaitable<void> {
    const unusable = unusableKeyRefusal(key, now);
    if (unusable) throw this.refusal(key, action.name, ip, now, transport, unusable);
    if (key.ipWhitelist.length > 0 && (!ip || !isIpAllowed(key.ipWhitelist, ip))) {
      const answer = new ApiError(403, "Forbidden: this address is not on the key's IP whitelist");
      throw this.refusal(key, action.name, ip, now, transport, 'address', undefined, answer);
    }
    // Public market data called with a key (CEX.IO's private variants) needs what every key has: read.
    const needed = action.permission ?? 'read';
    if (!key.permissions.includes(needed)) {
      const answer = new ApiError(403, `Forbidden: the key lacks the '${needed}' permission for ${action.name}`);
      throw this.refusal(key, action.name, ip, now, transport, 'permission', { permission: needed }, answer);
    }
    return andThen(this.limiter.take(key.id, now.getTime()), (decision) => {
      if (!decision.ok) {
        const answer = new ApiError(429, 'Rate limit exceeded', decision.retryAfterSeconds);
        throw this.refusal(key, action.name, ip, now, transport, 'rate_limit', { limitPerMinute: this.limiter.limit() }, answer);
      }
      this.lastUsed.record(key.id, ip, now);
      // A mutating REST call is counted once its replay claim shows it is no repeat (./once.ts).
      if (!(transport === 'rest' && action.mutating)) this.usage.accepted(key.id, action.name, ip, now);
    });
  }

  execute(key: ApiKeyRecord, action: ApiAction, raw: unknown, now: Date): Awaitable<unknown> {
    if (action.permission === null) return action.handler({ db: this.db(), now }, parseParams(action, raw));
    return action.handler({ db: this.db(), accountId: key.accountId, apiKeyId: key.id, now }, parseParams(action, raw));
  }
}

const store = globalThis as typeof globalThis & { __keydeskApi?: ApiGateway };

export function apiGateway(db: () => Db, options: GatewayOptions = {}): ApiGateway {
  store.__keydeskApi ??= new ApiGateway(db, options);
  return store.__keydeskApi;
}
