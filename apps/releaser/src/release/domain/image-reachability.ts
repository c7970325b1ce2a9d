import { parseIpv4, parseIpv6 } from '../../ips/domain/ip-address';

/** Blocks of addresses no machine on Fly.io can pull from: only this host or a private network reaches them. */
const V4_BLOCKS: readonly { base: string; prefix: number; why: string }[] = [
  { base: '127.0.0.0', prefix: 8, why: 'a loopback address, reachable only from the host it runs on' },
  { base: '0.0.0.0', prefix: 8, why: 'an unspecified ("this host") address' },
  { base: '10.0.0.0', prefix: 8, why: 'a private (RFC 1918) address' },
  { base: '172.16.0.0', prefix: 12, why: 'a private (RFC 1918) address' },
  { base: '192.168.0.0', prefix: 16, why: 'a private (RFC 1918) address' },
  { base: '100.64.0.0', prefix: 10, why: 'a carrier-grade NAT (RFC 6598) address' },
  { base: '169.254.0.0', prefix: 16, why: 'a link-local address' },
];
const V6_BLOCKS: readonly { base: string; prefix: number; why: string }[] = [
  { base: '::1', prefix: 128, why: 'a loopback address, reachable only from the host it runs on' },
  { base: '::', prefix: 128, why: 'an unspecified ("this host") address' },
  { base: 'fc00::', prefix: 7, why: 'a unique local (private) address' },
  { base: 'fe80::', prefix: 10, why: 'a link-local address' },
];

/**
 * Why Fly.io cannot pull `imageRef`, or undefined when it may (issue 14 point 11). Fly's hosts pull
 * images themselves, from the public internet: a registry named by a loopback, private, link-local
 * or unspecified address, by `localhost`, a `*.localhost` or `*.local` (mDNS) name, or by a single
 * label such as `registry:5000` (a name only a local resolver knows) is out of their reach. Only the
 * registry host is judged; whether the image exists is the builder's business. Anything else —
 * Docker Hub (`nginx`), `registry.fly.io`, `ghcr.io`, a public address — passes.
 */
export function unreachableFromFly(imageRef: string): { registry: string; why: string } | undefined {
  const registry = registryHostOf(imageRef);
  if (registry === undefined) return undefined;
  const host = hostOf(registry).toLowerCase();
  const why = addressProblem(host) ?? nameProblem(host);
  return why === undefined ? undefined : { registry, why };
}

/** The failure a release gets for such an image: names the image, its registry and why, and what to do. */
export function unreachableImageReason(imageRef: string, problem: { registry: string; why: string }): string {
  return (
    `image ${imageRef} cannot be pulled by Fly.io: its registry ${problem.registry} is ${problem.why}. ` +
    'Push the image to a registry Fly.io can reach (registry.fly.io/<app>, Docker Hub, ghcr.io, …) and deploy that reference'
  );
}

/** The registry part of a reference as Docker reads it: the first component, when it has a `.` or `:` or is `localhost`. */
function registryHostOf(imageRef: string): string | undefined {
  const slash = imageRef.indexOf('/');
  if (slash < 0) return undefined;
  const first = imageRef.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : undefined;
}

/** `host:port`, `[v6]:port` or a bare host → the host. */
function hostOf(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']') > 0 ? registry.indexOf(']') : undefined);
  const colon = registry.lastIndexOf(':');
  return colon > 0 && registry.indexOf(':') === colon ? registry.slice(0, colon) : registry;
}

function addressProblem(host: string): string | undefined {
  const v4 = parseIpv4(host);
  if (v4 !== undefined) return V4_BLOCKS.find((b) => inBlock(v4, parseIpv4(b.base)!, b.prefix, 32))?.why;
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (dotted) return addressProblem(dotted[1]!);
  const v6 = parseIpv6(host);
  if (v6 === undefined) return undefined;
  const mappedV4 = v6 >> 32n === 0xffffn ? addressProblem(formatV4(v6 & 0xffffffffn)) : undefined;
  return mappedV4 ?? V6_BLOCKS.find((b) => inBlock(v6, parseIpv6(b.base)!, b.prefix, 128))?.why;
}

function nameProblem(host: string): string | undefined {
  if (parseIpv4(host) !== undefined || host.includes(':')) return undefined;
  if (host === 'localhost' || host.endsWith('.localhost')) return 'a localhost name, reachable only from the host it runs on';
  if (host.endsWith('.local')) return 'a .local (mDNS) name, known only on its own local network';
  if (!host.includes('.')) return 'a single-label host name, which only a local resolver can know';
  return undefined;
}

function inBlock(value: bigint, base: bigint, prefix: number, bits: number): boolean {
  const shift = BigInt(bits - prefix);
  return value >> shift === base >> shift;
}

function formatV4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
}
