import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  HangarProcesses,
  buildMinimalImage,
  flyToml,
  pushImage,
  releasesOf,
  startHangarE2e,
  startRegistryProcess,
  statusOf,
  testNamespace,
  uniqueSuffix,
  waitFor,
  type Diagnosable,
  type HangarE2e,
  type RegistryProcess,
} from '@hangar/testing';

/**
 * Issue 6 item 5: a real registry (Debian's docker-registry, distribution 2.8) with its notifications
 * endpoint pointed at a Hangar receiver. Pushing a new tag over the distribution API is the only
 * action: the app's machines end up on the pushed digest.
 */
describe('a real registry pushing to a receiver (e2e)', () => {
  const app = `reg-${uniqueSuffix()}`;
  const repository = 'acme/web';
  let e2e: HangarE2e;
  let hangar: HangarProcesses;
  let registry: RegistryProcess;
  let dir: string;
  /** The services' output and the registry's, for a timeout. */
  const logs: Diagnosable = { output: () => `${hangar.output()}\n--- registry ---\n${registry?.logs()}` };

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_registry_e2e', namespace: testNamespace('rn'), fleetBootMs: 50, tmpPrefix: 'hangar-registry-' });
    ({ hangar, dir } = e2e);
    // The receiver is for the registry's host, known once its port is chosen.
    registry = await startRegistryProcess({
      notifications: async (host) => {
        const added = await hangar.cli(['receivers', 'add', '--source', 'distribution', '--host', host, '--json']);
        expect(added.code).toBe(0);
        const { receiver } = JSON.parse(added.stdout) as { receiver: { url: string; secret: string; host: string } };
        expect(receiver.secret).toMatch(/^[A-Za-z0-9_-]{20,}$/);
        expect(receiver.host).toBe(host);
        return { url: receiver.url, headers: { Authorization: [`Bearer ${receiver.secret}`] } };
      },
    });
    await pushImage(registry.url, repository, '1.0.0', buildMinimalImage());
    writeFileSync(join(dir, 'fly.toml'), flyToml(app, `${registry.host}/${repository}:1.0.0`));
    expect((await hangar.cli(['apps', 'create', app])).code).toBe(0);
    expect((await hangar.cli(['deploy'], { cwd: dir })).code).toBe(0);
    expect((await hangar.cli(['scale', 'count', '2', '-a', app])).code).toBe(0);
    const trigger = await hangar.cli(['triggers', 'add', '-a', app, '--image', `${registry.host}/${repository}`, '--tag-policy', 'semver:^1']);
    expect(trigger.code).toBe(0);
  }, 180000);

  afterAll(async () => {
    await registry?.stop();
    await e2e?.stop();
  });

  it('a push of a new tag deploys it to every managed machine, pinned to its digest, with no other action', async () => {
    const digest = await pushImage(registry.url, repository, '1.1.0', buildMinimalImage());
    const machines = await waitFor(logs, 'the machines to run the pushed digest', async () => {
      const managed = (await statusOf(hangar, app)).machines.filter((m) => m.managed);
      return managed.length === 2 && managed.every((m) => m.releaseVersion === 2 && m.image.includes(digest)) && managed;
    });
    expect(machines.every((m) => m.image.startsWith(`${registry.host}/${repository}:1.1.0@${digest}`))).toBe(true);
    const releases = await releasesOf(hangar, app);
    expect(releases[0]).toMatchObject({ version: 2, trigger: 'registry', status: 'complete' });

    const log = await hangar.cli(['triggers', 'log', '-a', app]);
    expect(log.code).toBe(0);
    expect(log.stdout).toContain(`${registry.host}/${repository}:1.1.0`);
    expect(log.stdout).toContain('deployed v2');
  });

  it('a push the tag policy rejects deploys nothing, and triggers log says why', async () => {
    await pushImage(registry.url, repository, '2.0.0', buildMinimalImage());
    const log = await waitFor(logs, 'the skipped push in the log', async () => {
      const r = await hangar.cli(['triggers', 'log', '-a', app]);
      return r.stdout.includes('tag policy semver:^1 rejects 2.0.0') && r.stdout;
    });
    expect(log).toContain(':2.0.0');
    const releases = await releasesOf(hangar, app);
    expect(releases[0]!.version).toBe(2);
  });
});
