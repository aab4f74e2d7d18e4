import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:https';
import WebSocket from 'ws';

/**
 * A client that behaves as the official CEX.IO Prime Liquidity Node client does, written here
 * from its documented behaviour rather than imported: an https agent, whole-second timestamps,
 * the signature over action + timestamp + JSON.stringify(params) as base64, POST with a JSON
 * body; and a wss socket that waits for `connected`, signs its auth as hex, and numbers each
 * request's `oid` as `${Date.now()}${n}_${action}`.
 */
export class CexStyleClient {
  private readonly agent: Agent;
  private n = 0;

  constructor(
    private readonly base: string,
    private readonly key: string,
    private readonly secret: string,
    ca: string,
  ) {
    this.agent = new Agent({ keepAlive: true, ca, rejectUnauthorized: true });
  }

  callPrivate(action: string, params: Record<string, unknown> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const body = JSON.stringify(params);
    const signature = createHmac('sha256', this.secret)
      .update(action + timestamp + body)
      .digest('base64');
    return this.post(`/api/rest/${action}`, body, { 'X-AGGR-KEY': this.key, 'X-AGGR-TIMESTAMP': timestamp, 'X-AGGR-SIGNATURE': signature });
  }

  callPublic(action: string, params: Record<string, unknown> = {}) {
    return this.post(`/api/rest-public/${action}`, JSON.stringify(params), {});
  }

  private post(path: string, body: string, headers: Record<string, string>) {
    return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = request(
        `${this.base}${path}`,
        { method: 'POST', agent: this.agent, headers: { ...headers, 'Content-Type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** A wss connection, authenticated, answering `call` by oid. */
  async socket(wsUrl: string, ca: string) {
    const ws = new WebSocket(wsUrl, { ca });
    const waiting = new Map<string, (m: Record<string, unknown>) => void>();
    const messages: Record<string, unknown>[] = [];
    let onConnected: () => void = () => {};
    const connected = new Promise<void>((resolve) => (onConnected = resolve));
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      messages.push(message);
      if (message.e === 'connected') onConnected();
      const oid = String(message.oid ?? '');
      waiting.get(oid)?.(message);
      waiting.delete(oid);
    });
    await connected;
    const call = (e: string, data: unknown = {}) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const oid = `${Date.now()}${++this.n}_${e}`;
        waiting.set(oid, resolve);
        ws.send(JSON.stringify({ e, oid, data }));
      });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', this.secret).update(`${timestamp}${this.key}`).digest('hex');
    const auth = await new Promise<Record<string, unknown>>((resolve) => {
      const oid = `${Date.now()}${++this.n}_auth`;
      waiting.set(oid, resolve);
      ws.send(JSON.stringify({ e: 'auth', oid, auth: { key: this.key, signature, timestamp } }));
    });
    return { ws, auth, call, messages };
  }

  close(): void {
    this.agent.destroy();
  }
}
