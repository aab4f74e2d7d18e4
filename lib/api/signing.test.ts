import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { restSignature, signaturesMatch, wsSignature } from './signing';

// Vectors computed independently with node:crypto (a copy of shared/vectors), not with this module.
const vectorsPath = path.resolve(__dirname, '../../test/support/signing-vectors.json');
const vectors = JSON.parse(readFileSync(vectorsPath, 'utf8')) as {
  apiKey: string;
  secret: string;
  rest: { action: string; timestamp: string; body: string; signature: string }[];
  websocket: { timestamp: number; signature: string }[];
};

describe('REST signatures', () => {
  it.each(vectors.rest)('signs $action at $timestamp like the reference', (v) => {
    expect(restSignature(vectors.secret, v.action, v.timestamp, v.body)).toBe(v.signature);
    expect(restSignature(vectors.secret, v.action, v.timestamp, Buffer.from(v.body, 'utf8'))).toBe(v.signature);
  });

  it('matches the documented example for get_my_trading_conditions', () => {
    const sig = restSignature(vectors.secret, 'get_my_trading_conditions', '1700000000', '{"pairs":["BTC-USD"]}');
    expect(sig).toBe('T1JmanC9V7nPLhxiu2QdHz/3ylrsfiRgwAf4DsM5D84=');
  });

  it('changes when any part changes', () => {
    const v = vectors.rest[0];
    expect(restSignature(vectors.secret, v.action, v.timestamp, v.body + ' ')).not.toBe(v.signature);
    expect(restSignature(vectors.secret, 'get_my_orders', v.timestamp, v.body)).not.toBe(v.signature);
    expect(restSignature(vectors.secret + 'x', v.action, v.timestamp, v.body)).not.toBe(v.signature);
  });
});

describe('WebSocket signatures', () => {
  it.each(vectors.websocket)('signs timestamp $timestamp like the reference', (v) => {
    expect(wsSignature(vectors.secret, v.timestamp, vectors.apiKey)).toBe(v.signature);
  });
});

describe('signaturesMatch', () => {
  it('accepts equal and refuses different or truncated signatures', () => {
    const s = vectors.rest[0].signature;
    expect(signaturesMatch(s, s)).toBe(true);
    expect(signaturesMatch(s.slice(0, -1), s)).toBe(false);
    expect(signaturesMatch('', s)).toBe(false);
    expect(signaturesMatch(s.replace(/^./, 'A'), s)).toBe(false);
  });
});
