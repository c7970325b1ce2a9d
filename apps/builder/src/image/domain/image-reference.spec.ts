import { HangarError } from '@hangar/contracts';
import { manifestReference, parseImageReference } from './image-reference';

const SHA = `sha256:${'ab12'.repeat(16)}`;
const ULID_TAG = 'deployment-01J9Z3K8Q7M4N2P5R6S8T0V1W2';

describe(parseImageReference.name, () => {
  it.each([
    ['nginx', 'docker.io', 'registry-1.docker.io', 'library/nginx', 'latest', undefined, 'registry-1.docker.io/library/nginx:latest'],
    ['nginx:1.25', 'docker.io', 'registry-1.docker.io', 'library/nginx', '1.25', undefined, 'registry-1.docker.io/library/nginx:1.25'],
    ['library/nginx', 'docker.io', 'registry-1.docker.io', 'library/nginx', 'latest', undefined, 'registry-1.docker.io/library/nginx:latest'],
    ['docker.io/nginx', 'docker.io', 'registry-1.docker.io', 'library/nginx', 'latest', undefined, 'registry-1.docker.io/library/nginx:latest'],
    ['index.docker.io/bitnami/redis:7.2', 'docker.io', 'registry-1.docker.io', 'bitnami/redis', '7.2', undefined, 'registry-1.docker.io/bitnami/redis:7.2'],
    ['flyio/postgres-flex:15', 'docker.io', 'registry-1.docker.io', 'flyio/postgres-flex', '15', undefined, 'registry-1.docker.io/flyio/postgres-flex:15'],
    ['ghcr.io/org/app:v1', 'ghcr.io', 'ghcr.io', 'org/app', 'v1', undefined, 'ghcr.io/org/app:v1'],
    ['127.0.0.1:5000/demo:1', '127.0.0.1:5000', '127.0.0.1:5000', 'demo', '1', undefined, '127.0.0.1:5000/demo:1'],
    ['localhost:5000/demo', 'localhost:5000', 'localhost:5000', 'demo', 'latest', undefined, 'localhost:5000/demo:latest'],
    ['localhost/demo', 'localhost', 'localhost', 'demo', 'latest', undefined, 'localhost/demo:latest'],
    [`registry.fly.io/my-app:${ULID_TAG}`, 'registry.fly.io', 'registry.fly.io', 'my-app', ULID_TAG, undefined, `registry.fly.io/my-app:${ULID_TAG}`],
    [`nginx@${SHA}`, 'docker.io', 'registry-1.docker.io', 'library/nginx', undefined, SHA, `registry-1.docker.io/library/nginx@${SHA}`],
    [`quay.io/org/app:tag@${SHA}`, 'quay.io', 'quay.io', 'org/app', 'tag', SHA, `quay.io/org/app:tag@${SHA}`],
    ['gcr.io/my-project/sub/dir/image_name__x:v1.2-rc_3', 'gcr.io', 'gcr.io', 'my-project/sub/dir/image_name__x', 'v1.2-rc_3', undefined, 'gcr.io/my-project/sub/dir/image_name__x:v1.2-rc_3'],
    ['[::1]:5000/demo:x', '[::1]:5000', '[::1]:5000', 'demo', 'x', undefined, '[::1]:5000/demo:x'],
  ])('%s', (ref, registry, host, repository, tag, digest, canonical) => {
    const image = parseImageReference(ref);
    expect(image).toEqual({
      registry,
      host,
      repository,
      ...(tag === undefined ? {} : { tag }),
      ...(digest === undefined ? {} : { digest }),
      canonical,
    });
  });

  it.each([
    ['', 'reference is empty'],
    ['Nginx', 'repository name must be lowercase'],
    ['ghcr.io/Org/app', 'repository name must be lowercase'],
    ['nginx@sha256:abc', 'sha256 digest must be 64 lower-case hex characters'],
    [`nginx@sha256:${'AB12'.repeat(16)}`, 'sha256 digest must be 64 lower-case hex characters'],
    [`nginx@md5:${'ab'.repeat(16)}`, "digest algorithm 'md5' is not supported"],
    ['nginx@', "must be '<algorithm>:<hex>'"],
    ['nginx:', 'tag'],
    ['nginx:-bad', "tag '-bad'"],
    [':latest', 'repository name is empty'],
    ['ghcr.io/', 'must be lower-case path components'],
    ['nginx/', 'must be lower-case path components'],
    ['my--app/x_-y', 'must be lower-case path components'],
    ['ngi nx', 'whitespace'],
    ['a'.repeat(64).replace(/a/g, 'f'), 'image id'],
    [`ghcr.io/${'a'.repeat(250)}`, 'longer than 255'],
    ['bad_host.io/app', "registry 'bad_host.io'"],
  ])('rejects %j', (ref, reason) => {
    let thrown: unknown;
    try {
      parseImageReference(ref);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HangarError);
    const error = thrown as HangarError;
    expect(error.code).toBe('IMAGE.INVALID_REFERENCE');
    expect(error.message).toContain(`invalid image reference '${ref}'`);
    expect(error.message).toContain(reason);
  });
});

describe(manifestReference.name, () => {
  it('names the digest when pinned, the tag otherwise', () => {
    expect(manifestReference(parseImageReference(`quay.io/org/app:tag@${SHA}`))).toBe(SHA);
    expect(manifestReference(parseImageReference('nginx'))).toBe('latest');
    expect(manifestReference(parseImageReference('ghcr.io/org/app:v1'))).toBe('v1');
  });
});
