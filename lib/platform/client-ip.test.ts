import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientIpOf } from './client-ip';

const request = (remoteAddress: string, forwarded?: string) =>
  ({ socket: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as IncomingMessage;

describe('clientIpOf', () => {
  it('is null, not a TypeError, for a request whose socket Node has already detached', () => {
    // A response ending after its connection was torn down is still logged (lib/platform/metrics.ts).
    expect(clientIpOf({ socket: null, headers: {} } as unknown as IncomingMessage, ['10.0.0.0/8'])).toBeNull();
  });

  it('uses the socket address, IPv4-mapped addresses as IPv4', () => {
    expect(clientIpOf(request('203.0.113.9'), [])).toBe('203.0.113.9');
    expect(clientIpOf(request('::ffff:203.0.113.9'), [])).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For from anyone but a trusted proxy', () => {
    expect(clientIpOf(request('203.0.113.9', '1.2.3.4'), [])).toBe('203.0.113.9');
    expect(clientIpOf(request('203.0.113.9', '1.2.3.4'), ['10.0.0.0/8'])).toBe('203.0.113.9');
  });

  it('behind trusted proxies, takes the right-most hop that is not a proxy (a client cannot prepend its way in)', () => {
    const proxies = ['10.0.0.0/8'];
    expect(clientIpOf(request('10.0.0.2', '1.2.3.4'), proxies)).toBe('1.2.3.4');
    expect(clientIpOf(request('10.0.0.2', '6.6.6.6, 1.2.3.4, 10.0.0.7'), proxies)).toBe('1.2.3.4');
    expect(clientIpOf(request('10.0.0.2', 'not-an-ip'), proxies)).toBe('10.0.0.2');
  });
});
