import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateNatsAuth, type NatsAuthOptions, type NatsIdentity } from './nats-auth-config';
import { seedFileOf } from './nats-identity';

const MANIFEST = 'identities.json';
export const NATS_CONFIG_FILE = 'nats.conf';

/** The identities of a credentials directory written by `writeNatsAuth`, seeds included; none when there is none. */
export function readNatsIdentities(dir: string): NatsIdentity[] {
  const manifest = join(dir, MANIFEST);
  if (!existsSync(manifest)) return [];
  const listed = JSON.parse(readFileSync(manifest, 'utf8')) as { identities: Omit<NatsIdentity, 'seed'>[] };
  return listed.identities.map((i) => ({ ...i, seed: readFileSync(seedFileOf(dir, i.name), 'utf8').trim() }));
}

/**
 * `hangar nats init`: writes `<dir>/nats.conf`, one `<identity>.nk` seed per identity (mode 0600) and
 * `identities.json` (names, kinds, public keys). Run again, it keeps every identity it already wrote
 * (the services' keys do not change) and adds the publishers and feed readers given; `storeDir`
 * defaults to `<dir>/jetstream`. Returns the identities and whether anything was written.
 */
export function writeNatsAuth(
  dir: string,
  options: Omit<NatsAuthOptions, 'storeDir'> & { storeDir?: string },
): { identities: NatsIdentity[]; configFile: string; changed: boolean } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const existing = readNatsIdentities(dir);
  const names = (kind: NatsIdentity['kind'], more: readonly string[]) => [...new Set([...existing.filter((i) => i.kind === kind).map((i) => i.name), ...more])];
  const publishers = names('publisher', options.publishers);
  const feedReaders = names('feed-reader', options.feedReaders);
  const storeDir = options.storeDir ?? resolve(dir, 'jetstream');
  const { config, identities } = generateNatsAuth({ ...options, storeDir, publishers, feedReaders }, existing);
  const configFile = join(dir, NATS_CONFIG_FILE);
  const changed = !existsSync(configFile) || readFileSync(configFile, 'utf8') !== config;
  for (const i of identities) {
    const file = seedFileOf(dir, i.name);
    writeFileSync(file, `${i.seed}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify({ identities: identities.map(({ seed: _seed, ...rest }) => rest) }, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(configFile, config, { mode: 0o600 });
  return { identities, configFile, changed };
}
