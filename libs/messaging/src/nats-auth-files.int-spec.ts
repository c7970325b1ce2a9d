import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NATS_SERVER_BIN } from '@hangar/testing';
import { SERVICE_IDENTITIES } from './nats-auth-config';
import { readNatsIdentities, writeNatsAuth } from './nats-auth-files';

const run = promisify(execFile);

/** `hangar nats init`'s files: a configuration nats-server accepts, seeds only their owner reads, keys that survive a re-run. */
describe(writeNatsAuth.name, () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hangar-nats-init-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const options = { namespace: 'hangar', host: '127.0.0.1', port: 4229, publishers: ['ci'], feedReaders: ['audit'] };

  it('writes a configuration nats-server accepts, with one 0600 nkey seed per identity', async () => {
    const { configFile, identities } = writeNatsAuth(dir, options);
    await expect(run(NATS_SERVER_BIN, ['-t', '-c', configFile])).resolves.toBeDefined();
    expect(identities.map((i) => [i.name, i.kind])).toEqual([...SERVICE_IDENTITIES.map((s) => [s, 'service']), ['ci', 'publisher'], ['audit', 'feed-reader']]);
    for (const i of identities) {
      const seedFile = join(dir, `${i.name}.nk`);
      expect(readFileSync(seedFile, 'utf8').trim()).toMatch(/^SU[A-Z2-7]{56}$/);
      expect(statSync(seedFile).mode & 0o777).toBe(0o600);
    }
    const config = readFileSync(configFile, 'utf8');
    for (const i of identities) expect(config).toContain(`nkey: ${i.publicKey}`);
    expect(config).not.toMatch(/SU[A-Z2-7]{56}/);
    // Only machine-updater may ask for secret values; no outside publisher ever.
    expect(config.match(/"hangar\.cmd\.secrets\.get-values"/g)).toHaveLength(2);
    expect(config).toMatch(/deny: \[[^\]]*"hangar\.cmd\.secrets\.get-values"/);
  });

  it('keeps every key on a re-run and adds the identities named, leaving the services alone', () => {
    const first = writeNatsAuth(dir, options);
    const again = writeNatsAuth(dir, { ...options, publishers: ['deployer'], feedReaders: [] });
    expect(again.changed).toBe(true);
    const byName = (ids: typeof first.identities) => Object.fromEntries(ids.map((i) => [i.name, i.publicKey]));
    expect(byName(again.identities)).toEqual({ ...byName(first.identities), deployer: expect.stringMatching(/^U/) });
    expect(readNatsIdentities(dir).map((i) => i.name)).toEqual([...SERVICE_IDENTITIES, 'ci', 'deployer', 'audit']);
    expect(writeNatsAuth(dir, { ...options, publishers: [], feedReaders: [] }).changed).toBe(false);
  });

  it('refuses a bad or clashing identity name, writing nothing', () => {
    expect(() => writeNatsAuth(dir, { ...options, publishers: ['Bad Name'] })).toThrow(/NATS identity name must match/);
    expect(() => writeNatsAuth(dir, { ...options, publishers: ['gateway'] })).toThrow(/"gateway" is a Hangar service's NATS identity/);
    expect(() => writeNatsAuth(dir, { ...options, publishers: ['x'], feedReaders: ['x'] })).toThrow(/"x" is given twice/);
    expect(() => readFileSync(join(dir, 'nats.conf'))).toThrow();
  });
});
