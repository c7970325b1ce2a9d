import type { MachineView, ReleaseSummary } from '@hangar/contracts';
import { imageDetails } from './image-details';

const DIGEST = 'sha256:' + 'a'.repeat(64);

const machine = (over: Partial<MachineView>): MachineView => ({
  id: '0123456789abcd',
  processGroup: 'app',
  region: 'local',
  state: 'started',
  managed: true,
  image: 'registry.local/web:v2',
  instanceId: 'i1',
  config: { image: 'registry.local/web:v2' },
  ...over,
});

const release = (version: number, image: string, imageId: string): ReleaseSummary => ({
  id: `rel-${version}`,
  app: 'demo',
  version,
  status: 'complete',
  trigger: 'cli',
  actor: 'admin',
  image,
  imageId,
  strategy: 'rolling',
  createdAt: '2026-01-01T00:00:00Z',
});

describe('imageDetails', () => {
  it('joins a managed machine with its release: image id, release, and the digest of its pinned ref', () => {
    const pinned = `registry.local/web:v2@${DIGEST}`;
    const [line] = imageDetails(
      [machine({ image: pinned, releaseVersion: 2, releaseId: 'rel-2', imageRef: { registry: 'registry.local', repository: 'web', tag: 'v2', digest: DIGEST } })],
      [release(1, 'registry.local/web:v1@sha256:1', 'img_one'), release(2, pinned, 'img_two')],
    );
    expect(line).toEqual({
      machineId: '0123456789abcd',
      processGroup: 'app',
      region: 'local',
      state: 'started',
      managed: true,
      image: pinned,
      registry: 'registry.local',
      repository: 'web',
      tag: 'v2',
      digest: DIGEST,
      imageId: 'img_two',
      release: { id: 'rel-2', version: 2 },
    });
  });

  it('takes the digest from the release when the machine ref has none, and shows no release for an unmanaged machine', () => {
    const [managed, unmanaged] = imageDetails(
      [
        machine({ releaseVersion: 1, imageRef: { registry: 'registry.local', repository: 'web', tag: 'v1', digest: '' } }),
        machine({ id: 'fedcba98765432', managed: false, image: 'nginx', imageRef: { registry: 'docker.io', repository: 'library/nginx', tag: 'latest', digest: '' } }),
      ],
      [release(1, `registry.local/web:v1@${DIGEST}`, 'img_one')],
    );
    expect(managed).toMatchObject({ digest: DIGEST, imageId: 'img_one', release: { id: 'rel-1', version: 1 } });
    expect(unmanaged).toMatchObject({ machineId: 'fedcba98765432', managed: false, image: 'nginx', repository: 'library/nginx', tag: 'latest' });
    expect(unmanaged).not.toHaveProperty('digest');
    expect(unmanaged).not.toHaveProperty('release');
  });
});
