import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '@/lib/keys/permissions';
import type { ApiAction } from './action';
import { compatibilityRows, documentedActions, NOT_OFFERED } from './compatibility';
import { API_ACTIONS } from './registry';
import { anchorOf, baseUrlOf, describeParams, exampleBodyOf, groupActions, restPathOf, wsExamplesOf, wsUrlOf } from './docs';

describe('describeParams', () => {
  it('lists fields with type, requiredness, description and limits', () => {
    const schema = z.object({
      pair: z.string().refine((p) => p.includes('-')),
      side: z.enum(['BUY', 'SELL']).describe('Order side'),
      accountIds: z.array(z.string().max(64)).max(100).optional(),
      amount: z.string().regex(/^\d+$/).optional(),
      limit: z.number().int().min(1).max(500).default(50),
      note: z.string().nullable().optional(),
    });
    expect(describeParams(schema)).toEqual([
      { name: 'pair', type: 'string', required: true, description: '' },
      { name: 'side', type: '"BUY" | "SELL"', required: true, description: 'Order side' },
      { name: 'accountIds', type: 'string[]', required: false, description: 'at most 100 items; each at most 64 characters' },
      { name: 'amount', type: 'string', required: false, description: 'matches /^\\d+$/' },
      { name: 'limit', type: 'integer', required: false, description: '≥ 1; ≤ 500; default: 50' },
      { name: 'note', type: 'string | null', required: false, description: '' },
    ]);
  });

  it('flattens nested objects and arrays of objects', () => {
    const schema = z.object({
      legs: z.array(z.object({ price: z.string(), qty: z.string().optional() })),
      meta: z.object({ tag: z.string() }).optional(),
    });
    expect(describeParams(schema).map((p) => [p.name, p.type, p.required])).toEqual([
      ['legs', 'object[]', true],
      ['legs[].price', 'string', true],
      ['legs[].qty', 'string', false],
      ['meta', 'object', false],
      ['meta.tag', 'string', true],
    ]);
  });

  it('names the values an enum behind a transform accepts, and says each limit once', () => {
    const schema = z.object({
      side: z
        .string()
        .transform((s) => s.toUpperCase())
        .pipe(z.enum(['BUY', 'SELL'])),
      id: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[^\u0000-\u001f\u007f]*$/)
        .describe('your id, at most 64 characters'),
      one: z.string().min(2).max(1),
      when: z.union([z.number().int(), z.iso.datetime()]).transform((v) => new Date(v)),
    });
    expect(describeParams(schema)).toEqual([
      { name: 'side', type: 'string', required: true, description: 'one of "BUY", "SELL"' },
      { name: 'id', type: 'string', required: true, description: 'your id, at most 64 characters; not empty; no control characters' },
      { name: 'one', type: 'string', required: true, description: 'at least 2 characters; at most 1 character' },
      { name: 'when', type: 'integer | string', required: true, description: 'string format: date-time' },
    ]);
  });

  it('gives no rows for an empty schema and does not throw on transforms', () => {
    expect(describeParams(z.object({}))).toEqual([]);
    expect(describeParams(z.object({ n: z.string().transform(Number) }))).toEqual([
      { name: 'n', type: 'string', required: true, description: '' },
    ]);
  });

  it('describes every registered action without throwing', () => {
    for (const action of API_ACTIONS) expect(() => describeParams(action.params)).not.toThrow();
  });
});

describe('groupActions', () => {
  it('puts public actions first, then permissions in product order, each action once', () => {
    const groups = groupActions(API_ACTIONS);
    expect(groups[0].permission).toBeNull();
    const order = groups.slice(1).map((g) => PERMISSIONS.indexOf(g.permission!));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(groups.flatMap((g) => g.actions.map((a) => a.name)).sort()).toEqual(API_ACTIONS.map((a) => a.name).sort());
    expect(groups.every((g) => g.actions.length > 0)).toBe(true);
  });

  it('drops permissions no action needs', () => {
    const only = [{ name: 'x', permission: 'trade' }] as unknown as ApiAction[];
    expect(groupActions(only).map((g) => g.title)).toEqual(['Trade']);
  });
});

describe('examples', () => {
  it('builds paths, anchors and bodies from the action', () => {
    expect(restPathOf({ name: 'get_ticker', permission: null })).toBe('/api/rest-public/get_ticker');
    expect(restPathOf({ name: 'get_my_volume', permission: 'read' })).toBe('/api/rest/get_my_volume');
    expect(anchorOf('get_ticker')).toBe('action-get_ticker');
    expect(exampleBodyOf({ exampleParams: { pairs: ['BTC-USD'] } })).toBe('{"pairs":["BTC-USD"]}');
    expect(exampleBodyOf({ exampleParams: undefined })).toBe('{}');
    expect(wsExamplesOf({ name: 'a', exampleParams: { x: 1 }, exampleResponse: [1] })).toEqual({
      request: { e: 'a', oid: '1', data: { x: 1 } },
      response: { e: 'a', oid: '1', ok: 'ok', data: [1] },
    });
  });

  it('every registered example request passes its own schema', () => {
    for (const action of API_ACTIONS) expect(action.params.safeParse(action.exampleParams).success, action.name).toBe(true);
  });
});

describe('baseUrlOf', () => {
  const fallback = 'http://localhost:3000';
  it('uses the Host header and the forwarded scheme', () => {
    expect(baseUrlOf('keydesk.example:8443', 'https', fallback)).toBe('https://keydesk.example:8443');
    expect(baseUrlOf('127.0.0.1:3150', null, fallback)).toBe('http://127.0.0.1:3150');
    expect(baseUrlOf('[::1]:3150', 'http, https', fallback)).toBe('http://[::1]:3150');
    expect(baseUrlOf('a.example', null, 'https://app.example/')).toBe('https://a.example');
  });

  it('falls back on a missing or odd Host', () => {
    expect(baseUrlOf(null, null, fallback)).toBe(fallback);
    expect(baseUrlOf('evil.example/<script>', null, fallback)).toBe(fallback);
    expect(baseUrlOf('a b', 'https', 'http://localhost:3000/')).toBe(fallback);
  });

  it('derives the WebSocket URL', () => {
    expect(wsUrlOf('https://k.example')).toBe('wss://k.example/api/ws');
    expect(wsUrlOf('http://localhost:3000')).toBe('ws://localhost:3000/api/ws');
  });
});

describe('the CEX.IO compatibility table', () => {
  it('has exactly one row per registered action, plus the CEX.IO actions not offered', () => {
    expect(documentedActions().sort()).toEqual(API_ACTIONS.map((a) => a.name).sort());
    const rows = compatibilityRows();
    expect(rows.map((r) => r.name)).toEqual([...API_ACTIONS.map((a) => a.name), ...NOT_OFFERED]);
    for (const name of NOT_OFFERED) expect(API_ACTIONS.some((a) => a.name === name)).toBe(false);
  });
});
