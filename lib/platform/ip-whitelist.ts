import ipaddr from 'ipaddr.js';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;
type Address = IPv4 | IPv6;
type Network = { address: Address; prefix: number };

export const MAX_WHITELIST_ENTRIES = 50;
const MAX_WHITELIST_INPUT_LENGTH = 4000;
// Past this many, further bad entries are summarised so one pasted blob cannot flood the form.
const MAX_NAMED_ERRORS = 20;

export type WhitelistParse = { ok: true; entries: string[] } | { ok: false; errors: string[] };

const SEPARATORS = /[\s,;]+/;
const PREFIX = /^(?:0|[1-9]\d{0,2})$/;

function parseIPv4(text: string): IPv4 | null {
  // ipaddr.js also accepts `010.1.1.1` (octal), `1.2.3` and `0x7f.1.1.1`; browsers and shells
  // disagree on what those mean, so only plain dotted quads are allowed.
  return ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text) : null;
}

function parseIPv6(text: string): IPv6 | null {
  // Zone ids (`fe80::1%eth0`) name an interface of one machine and mean nothing in a whitelist.
  if (text.includes('%')) return null;
  let hex = text;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    // Rewrite an embedded IPv4 tail as two hex groups ourselves: ipaddr.js would accept lenient
    // IPv4 forms there, and it reads the deprecated `::1.2.3.4` as `::ffff:1.2.3.4`.
    const v4 = parseIPv4(tail);
    if (!v4) return null;
    const [a, b, c, d] = v4.octets;
    hex = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  if (hex.includes('.') || !ipaddr.IPv6.isValid(hex)) return null;
  return ipaddr.IPv6.parse(hex);
}

function parseAddress(text: string): Address | null {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}

function maskToNetwork(address: Address, prefix: number): Address {
  const bytes = address.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i] &= (0xff << (8 - keep)) & 0xff;
  }
  return ipaddr.fromByteArray(bytes);
}

/** Parses one entry ("1.2.3.4", "2001:db8::/32", ...) into a canonical network, or null. */
function parseNetwork(entry: string): Network | null {
  const parts = entry.split('/');
  if (parts.length > 2) return null;
  let address = parseAddress(parts[0]);
  if (!address) return null;
  let prefix = address.kind() === 'ipv4' ? 32 : 128;
  if (parts.length === 2) {
    if (!PREFIX.test(parts[1])) return null;
    const bits = Number(parts[1]);
    if (bits > prefix) return null;
    prefix = bits;
  }
  // Ranges inside ::ffff:0:0/96 are IPv4 ranges written in IPv6 notation; store them as IPv4 so
  // they match IPv4 clients. Wider IPv6 ranges (e.g. ::/0) deliberately stay IPv6-only.
  if (address instanceof ipaddr.IPv6 && prefix >= 96 && address.isIPv4MappedAddress()) {
    address = address.toIPv4Address();
    prefix -= 96;
  }
  return { address: maskToNetwork(address, prefix), prefix };
}

// A whitelist exists to name the caller's own networks. Anything wider than a /8 of IPv4 (16.7
// million addresses) or a /16 of IPv6 is the Internet, or a big slice of it, while the key still
// shows as IP-restricted: such entries are refused, and "any address" is said by an empty list.
const MIN_IPV4_PREFIX = 8;
const MIN_IPV6_PREFIX = 16;

// IPv6 ranges that carry an IPv4 address in their last bits: a prefix inside one is judged by how
// many IPv4 bits it fixes (so `64:ff9b::/96` is an IPv4 /0), and a prefix holding one is too wide.
// Prefixes of /96 and longer inside ::ffff:0:0/96 never get here: parseNetwork makes them IPv4.
const IPV4_EMBEDDINGS: { network: IPv6; prefix: number }[] = [
  { network: ipaddr.IPv6.parse('::ffff:0:0'), prefix: 96 }, // IPv4-mapped
  { network: ipaddr.IPv6.parse('::'), prefix: 96 }, // IPv4-compatible (deprecated), ::a.b.c.d
  { network: ipaddr.IPv6.parse('64:ff9b::'), prefix: 96 }, // NAT64 well-known prefix (RFC 6052)
  { network: ipaddr.IPv6.parse('2002::'), prefix: 16 }, // 6to4 (RFC 3056), 2002:aabb:ccdd::/48
];

/** Why the network is too wide for a whitelist, or null when it is narrow enough. */
function breadthProblem({ address, prefix }: Network, typed: string): string | null {
  const v4 = `IPv4 ranges must be /${MIN_IPV4_PREFIX} or narrower`;
  if (address instanceof ipaddr.IPv4) {
    if (prefix >= MIN_IPV4_PREFIX) return null;
    return typed.includes(':') ? `an IPv4-mapped range counts as IPv4, and ${v4}` : v4;
  }
  if (prefix < MIN_IPV6_PREFIX) return `IPv6 ranges must be /${MIN_IPV6_PREFIX} or narrower`;
  // Too wide when it holds a whole embedding range, or sits in one fixing fewer than 8 IPv4 bits.
  const embeds = IPV4_EMBEDDINGS.some((e) => address.match(e.network, Math.min(prefix, e.prefix)) && prefix - e.prefix < MIN_IPV4_PREFIX);
  return embeds ? `it holds IPv4 addresses, and ${v4}` : null;
}

function formatAddress(address: Address): string {
  return address instanceof ipaddr.IPv6 ? address.toRFC5952String() : address.toString();
}

function formatNetwork({ address, prefix }: Network): string {
  const full = address.kind() === 'ipv4' ? 32 : 128;
  return prefix === full ? formatAddress(address) : `${formatAddress(address)}/${prefix}`;
}

function quote(entry: string): string {
  return entry.length > 60 ? `'${entry.slice(0, 57)}…'` : `'${entry}'`;
}

/**
 * Parses the whitelist textarea: entries separated by any mix of whitespace, commas and
 * semicolons. Returns canonical, de-duplicated entries (first-seen order), or every problem:
 * entries that are not addresses, and ranges wider than /8 (IPv4) or /16 (IPv6), each named.
 */
export function parseIpWhitelist(input: string): WhitelistParse {
  if (input.length > MAX_WHITELIST_INPUT_LENGTH) {
    return {
      ok: false,
      errors: [`The list is too long (at most ${MAX_WHITELIST_INPUT_LENGTH} characters are allowed)`],
    };
  }
  const entries = new Set<string>();
  // Every refused entry as typed, with its message, in the order they were typed.
  const invalid = new Map<string, string>();
  for (const raw of input.split(SEPARATORS)) {
    if (raw === '' || invalid.has(raw)) continue;
    const network = parseNetwork(raw);
    const tooWide = network && breadthProblem(network, raw);
    if (!network) invalid.set(raw, `${quote(raw)} is not a valid address or range`);
    else if (tooWide) invalid.set(raw, `${quote(raw)} covers too many addresses (${tooWide}); leave the whitelist empty for any address`);
    else entries.add(formatNetwork(network));
  }

  const errors = [...invalid.values()].slice(0, MAX_NAMED_ERRORS);
  if (invalid.size > MAX_NAMED_ERRORS) {
    errors.push(`…and ${invalid.size - MAX_NAMED_ERRORS} more invalid entries`);
  }
  const entered = entries.size + invalid.size;
  if (entered > MAX_WHITELIST_ENTRIES) {
    errors.push(`At most ${MAX_WHITELIST_ENTRIES} addresses or ranges are allowed (you entered ${entered})`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, entries: [...entries] };
}

function parseClientAddress(ip: string): Address | null {
  // Sockets report link-local peers with a zone (`fe80::1%eth0`); the zone is not part of the
  // address a whitelist can name, so it is dropped here (unlike in whitelist entries).
  const trimmed = ip.trim();
  const zone = trimmed.indexOf('%');
  const address = parseAddress(zone >= 0 && trimmed.includes(':') ? trimmed.slice(0, zone) : trimmed);
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()) {
    // Dual-stack servers see IPv4 peers as ::ffff:a.b.c.d.
    return address.toIPv4Address();
  }
  return address;
}

/** Canonical form of a client address (IPv4-mapped IPv6 becomes IPv4), or null if not an IP. */
export function normalizeClientIp(ip: string): string | null {
  const address = parseClientAddress(ip);
  return address ? formatAddress(address) : null;
}

/** Whether a caller at `ip` may use a key with this whitelist. An empty list allows any IP. */
export function isIpAllowed(entries: readonly string[], ip: string): boolean {
  if (entries.length === 0) return true;
  const client = parseClientAddress(ip);
  if (!client) return false;
  return entries.some((entry) => {
    // Stored entries are canonical already; an unparsable one grants nothing (fail closed).
    const network = parseNetwork(entry);
    return network !== null && network.address.kind() === client.kind() && client.match(network.address, network.prefix);
  });
}

/** True when saving `entries` would shut out the caller at `ip` (when that IP is known). */
export function whitelistLocksOut(entries: readonly string[], ip: string | null): boolean {
  if (entries.length === 0 || ip === null || normalizeClientIp(ip) === null) return false;
  return !isIpAllowed(entries, ip);
}
