import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountIdOf, createSeededTestDatabase, type TestDatabase } from '@/test/support/databases';
import { ApiGateway } from '@/lib/api/gateway';
import { API_ACTIONS, findAction } from '@/lib/api/registry';
import type { ApiResponse } from '@/lib/api/responses';
import { PERMISSIONS } from '@/lib/keys/permissions';
import { wsSignature } from '@/lib/api/signing';
import { parseJson } from '@/lib/api/call-params';
import { signed, startWsServer } from '../support/api';
import { captureLogs } from '../support/log-capture';
import { makeKey } from '../support/keys';

/**
 * What a bot, a broken client or an attacker can send with a valid signature: any bytes as a REST
 * body, any JSON as a WebSocket request's data. Each action gets its own example's fields with
 * hostile values, other JSON, and text that is not JSON. Whatever comes, the answer is a JSON
 * refusal or a result — never a 500 or "Internal error" — and nothing is logged as an unexpected
 * error. A failure prints the body that broke it.
 */

// KEYDESK_FUZZ_RUNS=5000 for a deeper search than the suite's.
const RUNS = Number(process.env.KEYDESK_FUZZ_RUNS ?? 120);

let handle: TestDatabase;
let gateway: ApiGateway;
let atlas: string;
let ws: Awaited<ReturnType<typeof startWsServer>>;

beforeAll(async () => {
  handle = await createSeededTestDatabase();
  gateway = new ApiGateway(() => handle.db);
  atlas = await accountIdOf(handle.db, 'Atlas Capital');
  ws = await startWsServer(handle, gateway);
});
afterAll(async () => {
  await ws?.close();
  await handle?.dispose();
});
afterEach(() => vi.restoreAllMocks());

/** Values a handler may not expect where its example has a string, a number or a list. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-0',
    '-1',
    '1e309',
    '1e-400',
    '0x1F',
    'NaN',
    'Infinity',
    '00001',
    '0.000000000000000000001',
    '99999999999999999999999999999999',
    '1'.repeat(500),
    'BTC-USD',
    'BTC',
    'USD',
    'bot-1',
    '__proto__',
    'constructor',
    '\u0000',
    '\ud800',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    '<script>',
    "'; drop table api_keys; --",
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.bigInt().map(String),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 5 }),
  fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
);

/** The example's fields, each kept, dropped or replaced, with unknown fields besides. */
function mutatedExample(example: Record<string, unknown>): fc.Arbitrary<string> {
  const fields = Object.keys(example);
  return fc
    .tuple(
      fc.tuple(...fields.map((f) => fc.oneof(fc.constant(example[f]), fc.constant(undefined), hostileValue))),
      fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'extra', 'amount', 'side', 'pair'), hostileValue, { maxKeys: 2 }),
    )
    .map(([values, extra]) => {
      const body: Record<string, unknown> = {};
      fields.forEach((f, i) => {
        if (values[i] !== undefined) body[f] = values[i];
      });
      return JSON.stringify({ ...extra, ...body });
    });
}

/** The example with one field replaced: the rest valid, so the value reaches the handler's own checks. */
function oneFieldChanged(example: Record<string, unknown>): fc.Arbitrary<string> {
  const fields = Object.keys(example);
  if (fields.length === 0) return fc.constant(JSON.stringify(example));
  return fc.tuple(fc.constantFrom(...fields), hostileValue).map(([field, value]) => JSON.stringify({ ...example, [field]: value }));
}

/** Bodies JSON.stringify never writes, as text: numbers past a double, duplicate and prototype keys. */
const rawJsonText = fc.constantFrom(
  '{"amount": 1e400}',
  '{"amount": -0}',
  '{"pageSize": 1e400}',
  '{"__proto__": {"polluted": true}}',
  '{"constructor": {"prototype": {"polluted": true}}}',
  '{"a": 1, "a": 2}',
  '[]',
  'null',
  '"text"',
  '12',
  '{',
  '',
  '\u0000',
  '{"x": "\\ud800"}',
  '{"clientOrderId": "\\ud800", "clientTxId": "\\udc00", "comment": "\\ud800", "accountId": "\\ud800"}',
  `${'['.repeat(30_000)}${']'.repeat(30_000)}`,
  `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
);

function bodyFor(example: unknown): fc.Arbitrary<string> {
  const fields = example && typeof example === 'object' && !Array.isArray(example) ? (example as Record<string, unknown>) : null;
  const shaped = fields ? [oneFieldChanged(fields), oneFieldChanged(fields), mutatedExample(fields)] : [];
  return fc.oneof(
    ...shaped,
    fc.jsonValue().map((v) => JSON.stringify(v)),
    rawJsonText,
    fc.string(),
  );
}

function expectAnswered(response: ApiResponse, body: string): void {
  const context = `body ${JSON.stringify(body).slice(0, 300)} → ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;
  expect(response.status, context).not.toBe(500);
  if (response.status === 200) expect(response.body.ok, context).toBe('ok');
  else expect(typeof response.body.error, context).toBe('string');
}

describe('no signed call is answered 500, whatever its body', () => {
  it.each(API_ACTIONS.map((a) => [a.name]))('%s', async (name) => {
    const action = findAction(name)!;
    const logs = captureLogs();
    // Every permission, so the fuzzed body reaches the handler; a key per action keeps each
    // action's calls under the per-key rate limit (300 a minute) at the suite's number of runs.
    const key = await makeKey(handle.db, { accountId: atlas, permissions: [...PERMISSIONS] });
    await fc.assert(
      fc.asyncProperty(bodyFor(action.exampleParams), async (body) => {
        const response =
          action.permission === null
            ? await gateway.publicAction(name, Buffer.from(body, 'utf8'))
            : await gateway.rest(signed(key, name, undefined, { raw: body }));
        expectAnswered(response, body);
      }),
      { numRuns: RUNS },
    );
    expect(logs.filter((line) => /unexpected error/i.test(line))).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  // Found by this fuzzing: PostgreSQL refused the order's JSON, and the bot was answered 500.
  it('refuses an order whose clientOrderId holds half a surrogate pair with a 400 saying so', async () => {
    const key = await makeKey(handle.db, { accountId: atlas, permissions: ['read', 'trade'] });
    // JSON.stringify writes the lone surrogate as the escape \ud800, as a client library would.
    const raw = JSON.stringify({ ...(findAction('do_my_new_order')!.exampleParams as object), clientOrderId: '\ud800' });
    expect(raw).toContain('"clientOrderId":"\\ud800"');
    expect(await gateway.rest(signed(key, 'do_my_new_order', undefined, { raw }))).toMatchObject({
      status: 400,
      body: { error: 'Malformed JSON body: a string holds half of a UTF-16 surrogate pair' },
    });
  });
});

type WsMessage = Record<string, unknown> & { e: string; oid?: string; data?: { error?: unknown } };

/** An authenticated WebSocket whose `call` answers with the message carrying the same oid. */
async function authenticatedSocket(key: Awaited<ReturnType<typeof makeKey>>) {
  const socket = new WebSocket(ws.url);
  const waiting = new Map<string, (m: WsMessage) => void>();
  const seen: WsMessage[] = [];
  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString()) as WsMessage;
    seen.push(message);
    if (message.oid !== undefined) waiting.get(String(message.oid))?.(message);
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  let next = 0;
  const call = (text: string, oid: string) =>
    new Promise<WsMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${text.slice(0, 200)}; saw ${JSON.stringify(seen.slice(-3))}`)), 4000);
      waiting.set(oid, (m) => (clearTimeout(timer), waiting.delete(oid), resolve(m)));
      socket.send(text);
    });
  await new Promise((resolve) => socket.once('open', resolve));
  const timestamp = Math.floor(Date.now() / 1000);
  const auth = await call(
    JSON.stringify({
      e: 'auth',
      oid: 'auth',
      auth: { key: key.publicKey, timestamp, signature: wsSignature(key.secret, timestamp, key.publicKey) },
    }),
    'auth',
  );
  expect(auth.ok).toBe('ok');
  // The data goes in as the text it was generated as: JSON.stringify itself gives up on deep nesting.
  return {
    socket,
    seen,
    closed,
    send: (e: string, dataText: string) => call(`{"e":"${e}","oid":"o${++next}","data":${dataText}}`, `o${next}`),
  };
}

describe('no WebSocket request is answered "Internal error", whatever its data', () => {
  it.each(API_ACTIONS.map((a) => [a.name]))('%s', async (name) => {
    const action = findAction(name)!;
    const logs = captureLogs();
    const key = await makeKey(handle.db, { accountId: atlas, permissions: [...PERMISSIONS] });
    const client = await authenticatedSocket(key);
    try {
      await fc.assert(
        fc.asyncProperty(bodyFor(action.exampleParams), async (body) => {
          // Data as a message carries it: a text that is not JSON (or holds half a surrogate pair)
          // ends the socket by design, and is the REST cases' and call-params.test.ts's to cover.
          fc.pre(body.trim() !== '' && parseJson(body).ok);
          const answer = await client.send(name, body);
          const context = `data ${body.slice(0, 300)} → ${JSON.stringify(answer).slice(0, 300)}`;
          expect(answer.data?.error, context).not.toBe('Internal error');
          expect(answer.ok === 'ok' || typeof answer.data?.error === 'string', context).toBe(true);
        }),
        { numRuns: RUNS },
      );
    } finally {
      client.socket.close();
    }
    expect(logs.filter((line) => /failed|unexpected error/i.test(line))).toEqual([]);
  });

  it('refuses a message holding half a surrogate pair as malformed, and closes the socket', async () => {
    const client = await authenticatedSocket(await makeKey(handle.db, { accountId: atlas, permissions: [...PERMISSIONS] }));
    client.socket.send('{"e":"do_my_new_order","oid":"x","data":{"clientOrderId":"\\ud800"}}');
    await client.closed;
    expect(client.seen.slice(-2)).toEqual([
      { e: 'error', data: { error: 'Malformed JSON message: a string holds half of a UTF-16 surrogate pair' } },
      { e: 'disconnected' },
    ]);
  });
});
