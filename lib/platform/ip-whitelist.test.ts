import { describe, expect, it } from 'vitest';
import { MAX_WHITELIST_ENTRIES, isIpAllowed, normalizeClientIp, parseIpWhitelist, whitelistLocksOut } from './ip-whitelist';

function entriesOf(input: string): string[] {
  const result = parseIpWhitelist(input);
  if (!result.ok) throw new Error(`expected ok, got ${result.errors.join('; ')}`);
  return result.entries;
}

function errorsOf(input: string): string[] {
  const result = parseIpWhitelist(input);
  if (result.ok) throw new Error(`expected errors, got ${result.entries.join(', ')}`);
  return result.errors;
}

describe('parseIpWhitelist: accepted entries and their canonical form', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['10.0.0.5/24', '10.0.0.0/24'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['192.168.1.77/32', '192.168.1.77'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::1/128', '2001:db8::1'],
    ['2001:db8:abcd:12::1/48', '2001:db8:abcd::/48'],
    ['::1', '::1'],
    ['::', '::'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:0102:0304', '1.2.3.4'],
    ['::ffff:10.1.2.3/104', '10.0.0.0/8'],
    // The widest ranges allowed: /8 of IPv4 (mapped ones judged as IPv4), /16 of IPv6.
    ['12.34.56.78/8', '12.0.0.0/8'],
    ['::ffff:0:0/104', '0.0.0.0/8'],
    ['2001:db8::/16', '2001::/16'],
    ['64:ff9b::/104', '64:ff9b::/104'],
    ['2002:c000:0201::/24', '2002:c000::/24'],
    ['::fffe:0:0/96', '::fffe:0:0/96'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
    // The deprecated IPv4-compatible form keeps its RFC 4291 meaning (not IPv4-mapped).
    ['::1.2.3.4', '::102:304'],
  ])('%s -> %s', (input, expected) => {
    expect(entriesOf(input)).toEqual([expected]);
  });

  it('treats empty and blank input as "any IP"', () => {
    expect(parseIpWhitelist('')).toEqual({ ok: true, entries: [] });
    expect(parseIpWhitelist('  \n\t ;, ,;\n')).toEqual({ ok: true, entries: [] });
  });

  it('splits on any mix of spaces, tabs, newlines, semicolons and commas', () => {
    expect(entriesOf(' 1.1.1.1,2.2.2.2;3.3.3.3\n4.4.4.4\t5.5.5.5 ;\r\n, 2001:db8::/32 ')).toEqual([
      '1.1.1.1',
      '2.2.2.2',
      '3.3.3.3',
      '4.4.4.4',
      '5.5.5.5',
      '2001:db8::/32',
    ]);
  });

  it('drops duplicates after normalisation, keeping first-seen order', () => {
    expect(entriesOf('10.0.0.5/24 9.9.9.9 10.0.0.0/24 ::ffff:9.9.9.9 9.9.9.9/32 2001:DB8::1 2001:db8:0::1')).toEqual([
      '10.0.0.0/24',
      '9.9.9.9',
      '2001:db8::1',
    ]);
  });
});

describe('parseIpWhitelist: rejected entries', () => {
  it.each([
    '5.6.7.8/33',
    '2001:db8::/129',
    '010.1.1.1',
    '1.2.3.04',
    '1.2.3',
    '0x7f.1.1.1',
    '4294967295',
    '256.1.1.1',
    '1.2.3.4.5',
    '1.2.3.4/',
    '1.2.3.4/08',
    '1.2.3.4/-1',
    '1.2.3.4/8/8',
    '/24',
    'fe80::1%eth0',
    'fe80::1%1/64',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '12345::',
    '::ffff:010.1.1.1',
    '::ffff:1.2.3',
    '1:2:3:4:5:6:7:1.2.3.4',
    'localhost',
    'example.com',
    '*',
    '1.2.3.*',
    '[::1]',
  ])('%s is named in an error', (entry) => {
    expect(errorsOf(entry)).toEqual([`'${entry}' is not a valid address or range`]);
  });

  it('names every bad entry and keeps nothing', () => {
    expect(errorsOf('1.1.1.1, 5.6.7.8/33; nope\n2.2.2.2 nope')).toEqual([
      "'5.6.7.8/33' is not a valid address or range",
      "'nope' is not a valid address or range",
    ]);
  });

  it('summarises a flood of bad entries instead of listing hundreds', () => {
    const input = Array.from({ length: 30 }, (_, i) => `bad${i}`).join(' ');
    const errors = errorsOf(input);
    expect(errors).toHaveLength(21);
    expect(errors[0]).toBe("'bad0' is not a valid address or range");
    expect(errors[20]).toBe('…and 10 more invalid entries');
  });

  it('truncates a very long bad entry in its message', () => {
    const [error] = errorsOf('x'.repeat(500));
    expect(error.length).toBeLessThan(100);
  });
});

describe('parseIpWhitelist: ranges too wide to restrict anything', () => {
  const v4 = 'IPv4 ranges must be /8 or narrower';
  const mapped = `an IPv4-mapped range counts as IPv4, and ${v4}`;
  const embedded = `it holds IPv4 addresses, and ${v4}`;
  it.each([
    ['0.0.0.0/0', v4],
    ['1.2.3.4/0', v4],
    ['128.0.0.0/1', v4],
    ['10.0.0.0/7', v4],
    ['::/0', 'IPv6 ranges must be /16 or narrower'],
    ['2001:db8::/15', 'IPv6 ranges must be /16 or narrower'],
    ['::ffff:0.0.0.0/96', mapped],
    ['::ffff:0:0/96', mapped],
    ['::FFFF:10.0.0.0/103', mapped],
    // IPv6 prefixes that embed IPv4 in their last bits: NAT64, 6to4, IPv4-compatible, and
    // ranges holding all of the IPv4-mapped space.
    ['64:ff9b::/96', embedded],
    ['64:ff9b::1.2.3.4/100', embedded],
    ['2002::/16', embedded],
    ['2002:0102::/23', embedded],
    ['::/96', embedded],
    ['::1.2.3.4/96', embedded],
    ['::ffff:0:0/95', embedded],
    ['::/64', embedded],
  ])('%s is refused, named, with how to allow any address', (entry, why) => {
    expect(errorsOf(entry)).toEqual([`'${entry}' covers too many addresses (${why}); leave the whitelist empty for any address`]);
  });

  it('names each wide entry once, among the invalid ones, in the order typed', () => {
    expect(errorsOf('1.1.1.1 0.0.0.0/0 nope ::/0 0.0.0.0/0 10.0.0.0/8')).toEqual([
      "'0.0.0.0/0' covers too many addresses (IPv4 ranges must be /8 or narrower); leave the whitelist empty for any address",
      "'nope' is not a valid address or range",
      "'::/0' covers too many addresses (IPv6 ranges must be /16 or narrower); leave the whitelist empty for any address",
    ]);
  });
});

describe('parseIpWhitelist: limits', () => {
  const addresses = (n: number) => Array.from({ length: n }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}`);

  it(`accepts exactly ${MAX_WHITELIST_ENTRIES} distinct entries`, () => {
    expect(entriesOf(addresses(50).join('\n'))).toHaveLength(50);
  });

  it('counts distinct entries, so duplicates do not push a list over the limit', () => {
    const list = addresses(50);
    expect(entriesOf([...list, ...list].join(' '))).toHaveLength(50);
  });

  it('refuses more than 50 distinct entries, saying how many were entered', () => {
    expect(errorsOf(addresses(51).join(','))).toEqual(['At most 50 addresses or ranges are allowed (you entered 51)']);
  });

  it('refuses absurdly long input before parsing it', () => {
    expect(errorsOf(' '.repeat(4001))).toEqual(['The list is too long (at most 4000 characters are allowed)']);
    expect(parseIpWhitelist(' '.repeat(4000)).ok).toBe(true);
  });
});

describe('isIpAllowed', () => {
  const list = entriesOf('203.0.113.7 198.51.100.0/24 2001:db8:1::/48 ::ffff:192.0.2.0/120');

  it.each([
    ['203.0.113.7', true],
    ['203.0.113.8', false],
    ['198.51.100.0', true],
    ['198.51.100.255', true],
    ['198.51.101.1', false],
    ['192.0.2.200', true],
    ['::ffff:203.0.113.7', true],
    ['::FFFF:198.51.100.9', true],
    ['::ffff:203.0.113.8', false],
    ['2001:db8:1:ffff::1', true],
    ['2001:DB8:0001:0000::0001', true],
    ['2001:db8:2::1', false],
    ['fe80::1%eth0', false],
    ['  203.0.113.7 ', true],
    ['not-an-ip', false],
    ['', false],
    ['0313.0.113.7', false],
  ])('%s -> %s', (ip, allowed) => {
    expect(isIpAllowed(list, ip)).toBe(allowed);
  });

  it('allows any IP (even an unknown one) when the list is empty', () => {
    expect(isIpAllowed([], '8.8.8.8')).toBe(true);
    expect(isIpAllowed([], '2001:db8::1')).toBe(true);
    expect(isIpAllowed([], 'garbage')).toBe(true);
  });

  it('keeps IPv4 and IPv6 apart: ::/0 does not let IPv4 clients in', () => {
    expect(isIpAllowed(['::/0'], '2001:db8::1')).toBe(true);
    expect(isIpAllowed(['::/0'], '1.2.3.4')).toBe(false);
    expect(isIpAllowed(['::/0'], '::ffff:1.2.3.4')).toBe(false);
    expect(isIpAllowed(['0.0.0.0/0'], '::ffff:1.2.3.4')).toBe(true);
    expect(isIpAllowed(['0.0.0.0/0'], '2001:db8::1')).toBe(false);
  });

  it('grants nothing for a corrupt stored entry', () => {
    expect(isIpAllowed(['010.0.0.1', 'junk'], '8.0.0.1')).toBe(false);
  });
});

describe('normalizeClientIp', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    [' 1.2.3.4\n', '1.2.3.4'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::ffff:7f00:1', '127.0.0.1'],
    ['2001:0DB8::0001', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::1', '::1'],
    ['', null],
    ['unknown', null],
    ['1.2.3', null],
    ['010.1.1.1', null],
    ['1.2.3.4/32', null],
    ['1.2.3.4%eth0', null],
  ])('%j -> %j', (ip, expected) => {
    expect(normalizeClientIp(ip)).toBe(expected);
  });
});

describe('whitelistLocksOut', () => {
  it.each([
    [[], '1.2.3.4', false],
    [['1.2.3.4'], '1.2.3.4', false],
    [['1.2.3.0/24'], '::ffff:1.2.3.99', false],
    [['1.2.3.4'], '5.6.7.8', true],
    [['2001:db8::/32'], '1.2.3.4', true],
    [['1.2.3.4'], null, false],
    [['1.2.3.4'], 'unknown', false],
  ])('%j with caller %j -> %s', (entries, ip, expected) => {
    expect(whitelistLocksOut(entries, ip)).toBe(expected);
  });
});
