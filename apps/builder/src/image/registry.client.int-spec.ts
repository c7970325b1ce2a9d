import { HangarError } from '@hangar/contracts';
import { buildMinimalImage, deleteImage, pushImage, TEST_REGISTRY_HOST, TEST_REGISTRY_URL, uniqueSuffix, failureOf } from '@hangar/testing';
import { RegistryClient } from './registry.client';


describe(RegistryClient.name, () => {
  const sut = new RegistryClient({ timeoutMs: 10_000, allowLoopback: true });
  const repository = `hangar-test/builder-${uniqueSuffix()}`;
  const pushed: string[] = [];
  let firstDigest: string;

  beforeAll(async () => {
    firstDigest = await pushImage(TEST_REGISTRY_URL, repository, 'v1', buildMinimalImage());
    pushed.push(firstDigest);
  });

  afterAll(async () => {
    for (const digest of pushed) await deleteImage(TEST_REGISTRY_URL, repository, digest);
  });

  it('resolves a tag on the local registry to the digest it was pushed as', async () => {
    await expect(sut.resolve(`${TEST_REGISTRY_HOST}/${repository}:v1`)).resolves.toEqual({
      digest: firstDigest,
      canonicalRef: `${TEST_REGISTRY_HOST}/${repository}:v1`,
    });
  });

  it('follows the tag when a different image is pushed under it', async () => {
    const tag = 'moving';
    const before = await pushImage(TEST_REGISTRY_URL, repository, tag, buildMinimalImage());
    pushed.push(before);
    expect((await sut.resolve(`${TEST_REGISTRY_HOST}/${repository}:${tag}`)).digest).toBe(before);

    const after = await pushImage(TEST_REGISTRY_URL, repository, tag, buildMinimalImage({ files: { 'v2.txt': '2' } }));
    pushed.push(after);
    expect(after).not.toBe(before);
    expect((await sut.resolve(`${TEST_REGISTRY_HOST}/${repository}:${tag}`)).digest).toBe(after);
  });

  it('resolves a digest-pinned reference to that digest after checking the registry has it', async () => {
    const ref = `${TEST_REGISTRY_HOST}/${repository}@${firstDigest}`;
    await expect(sut.resolve(ref)).resolves.toEqual({ digest: firstDigest, canonicalRef: ref });
    await expect(sut.resolve(`${TEST_REGISTRY_HOST}/${repository}:v1@${firstDigest}`)).resolves.toMatchObject({ digest: firstDigest });
  });

  it('fails an unknown tag with IMAGE.NOT_FOUND naming the tag and repository', async () => {
    const ref = `${TEST_REGISTRY_HOST}/${repository}:nope`;
    const error = await failureOf(sut.resolve(ref));
    expect(error.code).toBe('IMAGE.NOT_FOUND');
    expect(error.message).toBe(`image '${ref}' not found: manifest unknown for tag 'nope' in ${TEST_REGISTRY_HOST}/${repository}`);
    expect(error.details).toMatchObject({ ref, repository, reference: 'nope', status: 404 });
  });

  it('fails an unknown repository or digest with IMAGE.NOT_FOUND', async () => {
    const missing = `sha256:${'0'.repeat(64)}`;
    expect((await failureOf(sut.resolve(`${TEST_REGISTRY_HOST}/hangar-test/absent-${uniqueSuffix()}`))).code).toBe('IMAGE.NOT_FOUND');
    const pinned = await failureOf(sut.resolve(`${TEST_REGISTRY_HOST}/${repository}@${missing}`));
    expect(pinned.code).toBe('IMAGE.NOT_FOUND');
    expect(pinned.message).toContain(`manifest unknown for digest '${missing}'`);
  });

  it('fails a registry nobody listens on with IMAGE.REGISTRY_UNREACHABLE naming host and cause, without waiting out the deadline', async () => {
    const error = await failureOf(sut.resolve('127.0.0.1:5999/x:y', { timeoutMs: 60_000 }));
    expect(error.code).toBe('IMAGE.REGISTRY_UNREACHABLE');
    expect(error.message).toMatch(/^image '127\.0\.0\.1:5999\/x:y' could not be resolved: registry 127\.0\.0\.1:5999 is unreachable: connection refused/);
    expect(error.details).toMatchObject({ host: '127.0.0.1:5999' });
  });

  it('rejects an invalid reference before any request', async () => {
    expect((await failureOf(sut.resolve(`${TEST_REGISTRY_HOST}/Upper/Case:v1`))).code).toBe('IMAGE.INVALID_REFERENCE');
  });
});
