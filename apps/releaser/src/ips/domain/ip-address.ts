/** IPv4 / IPv6 addresses and CIDR ranges as plain arithmetic (no `node:net` under `domain/`). */

export type IpFamily = 'v4' | 'v6';

/** A CIDR block: `base` is the network address, `size` the number of addresses in it. */
export interface IpRange {
  readonly family: IpFamily;
  /** Normalised `network/prefix`, e.g. `192.0.2.0/24`, `2001:db8::/64`. */
  readonly cidr: string;
  readonly base: bigint;
  readonly prefix: number;
  readonly size: bigint;
}

const BITS: Record<IpFamily, number> = { v4: 32, v6: 128 };

export function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

export function parseIpv6(text: string): bigint | undefined {
  const lower = text.toLowerCase();
  if (!/^[0-9a-f:]+$/.test(lower) || lower.includes(':::')) return undefined;
  const halves = lower.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return value;
}

export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
export function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.length < 2) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

export function parseAddress(text: string, family: IpFamily): bigint | undefined {
  return family === 'v4' ? parseIpv4(text) : parseIpv6(text);
}

export function formatAddress(value: bigint, family: IpFamily): string {
  return family === 'v4' ? formatIpv4(value) : formatIpv6(value);
}

/** The canonical text of an address of either family (`2001:DB8:0::2` → `2001:db8::2`), or undefined. */
export function normaliseAddress(text: string): { family: IpFamily; address: string } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 'v4', address: formatIpv4(v4) };
  const v6 = parseIpv6(text);
  if (v6 !== undefined) return { family: 'v6', address: formatIpv6(v6) };
  return undefined;
}

/** Parses `network/prefix` of the given family; the network must have no host bits set. */
export function parseCidr(text: string, family: IpFamily): { ok: true; range: IpRange } | { ok: false; reason: string } {
  const bits = BITS[family];
  const example = family === 'v4' ? '192.0.2.0/24' : '2001:db8::/64';
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m) return { ok: false, reason: `must be an IP${family} CIDR block like ${example}; got "${text}"` };
  const base = parseAddress(m[1]!, family);
  const prefix = Number(m[2]);
  if (base === undefined) return { ok: false, reason: `must be an IP${family} CIDR block like ${example}; got "${text}"` };
  if (prefix > bits) return { ok: false, reason: `prefix length must be at most ${bits}; got "${text}"` };
  const size = 1n << BigInt(bits - prefix);
  if (base % size !== 0n) {
    return { ok: false, reason: `host bits are set in "${text}"; the network is ${formatAddress(base - (base % size), family)}/${prefix}` };
  }
  return { ok: true, range: { family, cidr: `${formatAddress(base, family)}/${prefix}`, base, prefix, size } };
}

/**
 * Offsets inside the range that can be handed out: IPv4 blocks larger than /31 lose the network and
 * broadcast addresses; IPv6 blocks lose the subnet-router anycast address (offset 0) when they have more than one.
 */
export function usableOffsets(range: IpRange): { first: bigint; last: bigint } {
  if (range.size <= 2n && range.family === 'v4') return { first: 0n, last: range.size - 1n };
  if (range.family === 'v4') return { first: 1n, last: range.size - 2n };
  return range.size === 1n ? { first: 0n, last: 0n } : { first: 1n, last: range.size - 1n };
}

/** The offset of `address` (canonical text) in the range, or undefined when it lies outside. */
export function offsetOf(range: IpRange, address: string): bigint | undefined {
  const value = parseAddress(address, range.family);
  if (value === undefined || value < range.base || value >= range.base + range.size) return undefined;
  return value - range.base;
}

export function addressAt(range: IpRange, offset: bigint): string {
  return formatAddress(range.base + offset, range.family);
}
