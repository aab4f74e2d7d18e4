import type { KeyObject } from 'node:crypto';
import type { WebSocket } from 'ws';
import { andThen } from '@/lib/platform/awaitable';
import { wsIdleSeconds } from '@/lib/platform/config';
import { eventHub, type AccountEvent } from '@/lib/platform/events';
import { isIpAllowed } from '@/lib/platform/ip-whitelist';
import { signaturesMatch, wsSignature } from './signing';
import type { ApiGateway } from './gateway';
import { keyUnusableReason, timestampRefusalDetail, timestampWithin, unusableKeyRefusal } from './key-checks';
import { errorResponse } from './responses';
import { secretStillInForce, secretUsed, type ApiKeyRecord } from './key-store';
import type { RefusalDetail, RefusalReason } from './refusals';
import { countApiCall } from '@/lib/platform/metrics';
import { findAction } from './registry';
import { malformed, parseJson } from './call-params';
import { errorText, log } from '@/lib/platform/log';

const WS_TIMESTAMP_WINDOW_SECONDS = 20;

/** How long a socket may stay silent; `KEYDESK_WS_IDLE_SECONDS` overrides. */
function idleTimeoutMs(): number {
  return wsIdleSeconds() * 1000;
}

type Incoming = { e?: unknown; oid?: unknown; data?: unknown; auth?: { key?: unknown; signature?: unknown; timestamp?: unknown } };

/**
 * One WebSocket client, speaking the CEX.IO Prime protocol: `connected`, `auth`, requests by
 * action name with an `oid`, `ping`/`pong`, and pushes of the account's balance and order changes
 * after auth. The key is re-checked on every request and the socket closes when it changes state.
 */
export class WsConnection {
  private key: ApiKeyRecord | null = null;
  /** The secret this connection authenticated with: it lives only as long as that secret is in force. */
  private authSecret: KeyObject | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private graceTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void)[] = [];
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly gateway: ApiGateway,
    private readonly ip: string | null,
    private readonly kind: 'private' | 'public' = 'private',
  ) {
    this.send({ e: 'connected' });
    this.touch();
    socket.on('message', (data, isBinary) => {
      this.touch();
      // Requests are answered in order, one at a time per connection; one that fails must not
      // stop the ones after it (a rejected link would leave the socket deaf, even to ping).
      this.queue = this.queue.then(() => this.receive(isBinary ? '' : data.toString())).catch((error: unknown) => this.failed(error));
    });
    socket.on('close', () => this.cleanup());
    socket.on('error', () => this.cleanup());
  }

  private send(message: Record<string, unknown>): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private disconnect(): void {
    this.send({ e: 'disconnected' });
    this.socket.close(1000);
    this.cleanup();
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.disconnect(), idleTimeoutMs());
    this.idleTimer.unref();
  }

  private failed(error: unknown): void {
    log.error({ err: errorText(error) }, 'WebSocket request failed');
    this.send({ e: 'error', data: { error: 'Internal error' } });
  }

  private cleanup(): void {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.unsubscribe.forEach((stop) => stop());
    this.unsubscribe = [];
  }

  private async receive(text: string): Promise<void> {
    const parsed = parseJson(text);
    if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object') {
      this.send({ e: 'error', data: { error: malformed('message', parsed.ok ? null : parsed.problem) } });
      return this.disconnect();
    }
    const message = parsed.value as Incoming;
    const e = typeof message.e === 'string' ? message.e : '';
    const oid = typeof message.oid === 'string' || typeof message.oid === 'number' ? message.oid : undefined;
    if (e === 'ping') return this.send({ e: 'pong' });
    if (e === 'order_book_subscribe' || e === 'order_book_unsubscribe') return this.orderBookSubscription(e, oid, message.data);
    if (e === 'auth') {
      if (this.kind === 'public') return this.send({ e, oid, data: { error: 'This is the public socket: authenticate on /api/ws' } });
      return this.authenticate(message, oid);
    }
    const action = findAction(e);
    if (!action) {
      this.send({ e: e || 'error', oid, data: { error: `Unknown event '${e.slice(0, 64)}'` } });
      return this.disconnect();
    }
    const now = new Date();
    if (action.permission === null) return this.answerPublic(e, oid, message.data, now);
    if (this.kind === 'public') return this.send({ e, oid, data: { error: 'This is the public socket: private actions are on /api/ws' } });
    if (!this.key) return this.send({ e, oid, data: { error: 'Please authorize first' } });
    try {
      // The store drops a changed key at once, so this sees deactivation, edits and deletion.
      const key = await this.gateway.bounded(this.gateway.keys.find(this.key.publicKey));
      if (!key || !secretStillInForce(key, this.authSecret!, now)) return this.disconnect();
      const data = await this.gateway.bounded(
        andThen(this.gateway.admit(key, action, this.ip, now, 'ws'), () => this.gateway.execute(key, action, message.data ?? {}, now)),
      );
      countApiCall(action.name, 200);
      this.send({ e, oid, ok: 'ok', data });
    } catch (error) {
      const refusal = errorResponse(error);
      countApiCall(action.name, refusal.status);
      this.send({ e, oid, data: { error: refusal.body.error } });
    }
  }

  /**
   * order_book_subscribe answers the pair's book with a `seqId`; each later change is pushed as an
   * `order_book_increment` with the next seqId. The demo book does not move, so none follows and a
   * subscription needs no state; unsubscribing is acknowledged.
   */
  private async orderBookSubscription(e: string, oid: string | number | undefined, data: unknown): Promise<void> {
    const pair = typeof (data as { pair?: unknown } | null)?.pair === 'string' ? (data as { pair: string }).pair : '';
    if (e === 'order_book_unsubscribe') return this.send({ e, oid, ok: 'ok', data: { pair } });
    const book = await this.gateway.publicActionWith('get_order_book', { pair }, new Date());
    if (book.status !== 200) return this.send({ e, oid, data: { error: book.body.error } });
    this.send({ e, oid, ok: 'ok', data: { pair, seqId: 0, ...(book.body.data as Record<string, unknown>) } });
  }

  /** Market data needs no key: answered before and after auth alike, as CEX.IO does. */
  private async answerPublic(e: string, oid: string | number | undefined, data: unknown, now: Date): Promise<void> {
    const response = await this.gateway.publicActionWith(e, data, now);
    this.send(response.status === 200 ? { e, oid, ...response.body } : { e, oid, data: { error: response.body.error } });
  }

  private async authenticate(message: Incoming, oid: string | number | undefined): Promise<void> {
    const fail = (error: string) => this.send({ e: 'auth', oid, data: { error } });
    const { key: publicKey, signature, timestamp } = message.auth ?? {};
    let key: ApiKeyRecord | null = null;
    try {
      key = typeof publicKey === 'string' ? await this.gateway.keys.find(publicKey) : null;
    } catch (error) {
      log.error({ err: errorText(error) }, 'WebSocket auth: key lookup failed');
      return fail('Authorization is unavailable right now — try again');
    }
    // The socket may have closed while the key loaded: it must not subscribe to anything.
    if (this.closed) return;
    if (!key) return fail('Invalid API key');
    const now = new Date();
    // Recorded for the key's owner (lib/api/usage.ts); the answer stays CEX.IO's.
    const refuse = (error: string, reason: RefusalReason, detail?: RefusalDetail) => {
      this.gateway.usage.refused(key.id, 'auth', this.ip, now, 'ws', reason, detail);
      fail(error);
    };
    const ts = typeof timestamp === 'number' || typeof timestamp === 'string' ? timestamp : '';
    if (typeof signature !== 'string') return refuse('Invalid signature', 'credentials_missing');
    const received = signature.toLowerCase();
    const authSecret = secretUsed(key, now, (secret) => signaturesMatch(received, wsSignature(secret, ts, key.publicKey)));
    if (!authSecret) return refuse('Invalid signature', ts === '' ? 'credentials_missing' : 'signature');
    if (!timestampWithin(String(ts), now, WS_TIMESTAMP_WINDOW_SECONDS)) {
      return refuse('Timestamp is not in 20sec range', 'timestamp', timestampRefusalDetail(ts, now, WS_TIMESTAMP_WINDOW_SECONDS));
    }
    const unusable = unusableKeyRefusal(key, now);
    if (unusable) return refuse('API key is not activated', unusable);
    if (key.ipWhitelist.length > 0 && (!this.ip || !isIpAllowed(key.ipWhitelist, this.ip)))
      return refuse('IP address is not allowed', 'address');
    this.gateway.usage.accepted(key.id, 'auth', this.ip, now);
    this.key = key;
    this.authSecret = authSecret;
    this.unsubscribe.push(
      eventHub().onKeyChanged((keyId) => {
        if (keyId === key.id) void this.recheckKey();
      }),
      eventHub().onAccountEvent((event: AccountEvent) => {
        if (event.accountId === key.accountId) this.send({ e: event.e, ok: 'ok', data: event.data });
      }),
    );
    if (!authSecret.equals(key.secret) && key.previousSecretExpiresAt) {
      // Authenticated with a rotated-away secret: the connection ends with its grace, even if silent.
      this.graceTimer = setTimeout(() => void this.recheckKey(), Math.max(0, key.previousSecretExpiresAt.getTime() - Date.now()) + 10);
      this.graceTimer.unref();
    }
    this.send({ e: 'auth', oid, ok: 'ok', data: { ok: 'ok' } });
  }

  /** After a change to the key: if it can no longer be used, the connection ends now. */
  private async recheckKey(): Promise<void> {
    if (!this.key) return;
    this.gateway.keys.forget(this.key.id);
    // A key that cannot be re-read is not trusted: the connection ends and the bot reconnects.
    const publicKey = this.key.publicKey;
    const key = await Promise.resolve()
      .then(() => this.gateway.keys.find(publicKey))
      .catch(() => null);
    const now = new Date();
    if (!key || keyUnusableReason(key, now) || !secretStillInForce(key, this.authSecret!, now)) this.disconnect();
  }
}
