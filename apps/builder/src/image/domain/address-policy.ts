/**
 * Which network addresses the builder may contact for a registry, its auth realm and its redirects
 * (issue 12 point 6, review H3). Pure: the caller resolves host names and passes the addresses in.
 */

/** What an address is, as far as reaching it from the builder goes. `public` is everything else. */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'invalid';

export interface AddressPolicy {
  /**
   * Loopback addresses (127.0.0.0/8, ::1, `localhost`) are allowed. The builder config sets this
   * outside production (`NODE_ENV` not `production`), so the local registry at 127.0.0.1:5000 and the
   * tests' fake registries keep working; in production loopback must be listed in `allowPrivate`.
   */
  readonly allowLoopback: boolean;
  /**
   * `host` or `host:port` entries (`HANGAR_REGISTRY_ALLOW_PRIVATE`) whose addresses are not checked:
   * private, link-local, loopback and metadata addresses are all reachable there. An entry without a
   * port matches every port of that host.
   */
  readonly allowPrivate: readonly string[];
}

/** IPv4 ranges, as [first octets, prefix length, class]; checked in order, first match wins. */
const V4_RANGES: readonly (readonly [readonly number[], number, AddressClass])[] = [
  [[0], 8, 'unspecified'],
  [[127], 8, 'loopback'],
  [[10], 8, 'private'],
  [[172, 16], 12, 'private'],
  [[192, 168], 16, 'private'],
  // Carrier-grade NAT space; cloud metadata services live here too (100.100.100.200).
  [[100, 64], 10, 'private'],
  // Link-local, where cloud metadata services answer (169.254.169.254).
  [[169, 254], 16, 'link-local'],
  [[224], 4, 'invalid'],
  [[240], 4, 'invalid'],
];

/** Parses a dotted-quad IPv4 address into its 4 octets, or undefined. */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => Number.isInteger(o) && o <= 255) ? octets : undefined;
}

/** Parses an IPv6 address (brackets, zone ids and an embedded IPv4 tail allowed) into 8 groups, or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  let s = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!s.includes(':')) return undefined;
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  const v4 = parseIpv4(s.slice(lastColon + 1));
  if (v4) {
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = groupsOf(halves[0]!);
  const rest = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const need = 8 - tail.length;
  if (halves.length === 1) return head.length === need ? [...head, ...tail] : undefined;
  const fill = need - head.length - rest.length;
  return fill < 1 ? undefined : [...head, ...new Array<number>(fill).fill(0), ...rest, ...tail];
}

function groupsOf(part: string): number[] | undefined {
  if (part === '') return [];
  const out = part.split(':').map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
  return out.every((g) => !Number.isNaN(g)) ? out : undefined;
}

/** Classifies one literal address (IPv4 or IPv6, IPv4-mapped and NAT64 forms by their IPv4 part). */
export function classifyAddress(address: string): AddressClass {
  const v4 = parseIpv4(address);
  if (v4) return classifyV4(v4);
  const g = parseIpv6(address);
  if (!g) return 'invalid';
  const embedded = embeddedV4(g);
  if (embedded) return classifyV4(embedded);
  if (g.every((x) => x === 0)) return 'unspecified';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xff00) === 0xff00) return 'invalid';
  return 'public';
}

function classifyV4(octets: readonly number[]): AddressClass {
  const value = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
  for (const [prefix, bits, cls] of V4_RANGES) {
    const base = [...prefix, 0, 0, 0, 0].slice(0, 4);
    const start = ((base[0]! << 24) >>> 0) + (base[1]! << 16) + (base[2]! << 8) + base[3]!;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if (((value & mask) >>> 0) === ((start & mask) >>> 0)) return cls;
  }
  return value === 0xffffffff ? 'invalid' : 'public';
}

/** `::ffff:a.b.c.d` (mapped), `::a.b.c.d` (compatible) and `64:ff9b::a.b.c.d` (NAT64) reach an IPv4 address. */
function embeddedV4(g: readonly number[]): number[] | undefined {
  const zeros = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 5) && g[5] === 0xffff;
  const compatible = zeros(0, 6) && (g[6] !== 0 || g[7]! > 1);
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6);
  if (!mapped && !compatible && !nat64) return undefined;
  return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff];
}

/** `host:port` split; IPv6 literals keep their brackets. */
export function splitHostPort(hostPort: string): { hostname: string; port?: string } {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!m) return { hostname: hostPort };
  return m[2] === undefined ? { hostname: m[1]!.toLowerCase() } : { hostname: m[1]!.toLowerCase(), port: m[2] };
}

/** Whether `hostPort` is listed in `HANGAR_REGISTRY_ALLOW_PRIVATE` (an entry without a port matches any). */
export function isListed(hostPort: string, list: readonly string[]): boolean {
  const { hostname, port } = splitHostPort(hostPort.toLowerCase());
  return list.some((entry) => {
    const e = splitHostPort(entry.trim().toLowerCase());
    return e.hostname === hostname && (e.port === undefined || e.port === port);
  });
}

/** A literal address in `hostname` (IPv4, or IPv6 in or out of brackets), or undefined for a name. */
export function literalAddress(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return parseIpv4(bare) || parseIpv6(bare) ? bare : undefined;
}

/**
 * Why the builder must not contact `hostPort`, which resolves to `addresses`, or undefined when it
 * may. A host listed in `allowPrivate` may always be contacted; otherwise every address must be
 * public (or loopback, when `allowLoopback`): one disallowed address refuses the host, since the
 * connection may use any of them.
 */
export function addressRefusal(hostPort: string, addresses: readonly string[], policy: AddressPolicy): string | undefined {
  if (isListed(hostPort, policy.allowPrivate)) return undefined;
  if (addresses.length === 0) return `${hostPort} resolves to no address`;
  for (const address of addresses) {
    const cls = classifyAddress(address);
    if (cls === 'public' || (cls === 'loopback' && policy.allowLoopback)) continue;
    const what = cls === 'invalid' ? 'a non-unicast' : cls === 'unspecified' ? 'an unspecified' : `a ${cls}`;
    return `${hostPort} resolves to ${what} address (${address}); list it in HANGAR_REGISTRY_ALLOW_PRIVATE to allow it`;
  }
  return undefined;
}

/**
 * Whether a redirect from `from` to `to` (absolute URLs) stays on the same origin: scheme, host and
 * port all equal. The builder follows only those; any other redirect fails the resolution.
 */
export function sameOrigin(from: string, to: string): boolean {
  try {
    return new URL(from).origin === new URL(to).origin;
  } catch {
    return false;
  }
}
