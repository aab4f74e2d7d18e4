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
 * semicolons. Returns canonical, de-duplicated entries (first-seen order), or every problem.
 */
export function parseIpWhitelist(input: string): WhitelistParse {
  if (input.length > MAX_WHITELIST_INPUT_LENGTH) {
    return {
      ok: false,
      errors: [`The list is too long (at most ${MAX_WHITELIST_INPUT_LENGTH} characters are allowed)`],
    };
  }
  const entries = new Set<string>();
  const invalid = new Set<string>();
  for (const raw of input.split(SEPARATORS)) {
    if (raw === '') continue;
    const network = parseNetwork(raw);
    if (network) entries.add(formatNetwork(network));
    else invalid.add(raw);
  }

  const errors = [...invalid].slice(0, MAX_NAMED_ERRORS).map((raw) => `${quote(raw)} is not a valid address or range`);
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
