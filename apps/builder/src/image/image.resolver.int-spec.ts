import { HangarError } from '@hangar/contracts';
import { buildMinimalImage, deleteImage, pushImage, TEST_REGISTRY_HOST, TEST_REGISTRY_URL, uniqueSuffix } from '@hangar/testing';
import { imageIdFromDigest } from './domain/image-id';
import { ImageResolver } from './image.resolver';
import { RegistryClient } from './registry.client';

describe(ImageResolver.name, () => {
  const sut = new ImageResolver(new RegistryClient({ allowLoopback: true }), { timeoutMs: 10_000 });
  const repository = `hangar-test/resolver-${uniqueSuffix()}`;
  let digest: string;

  beforeAll(async () => {
    digest = await pushImage(TEST_REGISTRY_URL, repository, '1', buildMinimalImage({ labels: { 'fly.version': '1' } }));
  });

  afterAll(async () => {
    await deleteImage(TEST_REGISTRY_URL, repository, digest);
  });

  it('resolves a reference to what ImageResolved records, with the id derived from the digest', async () => {
    const ref = `${TEST_REGISTRY_HOST}/${repository}:1`;
    const resolved = await sut.resolve(ref);
    expect(resolved).toEqual({ ref, canonicalRef: ref, digest, imageId: imageIdFromDigest(digest) });
    expect(resolved.imageId).toMatch(/^img_[0-9a-z]{16}$/);
  });

  it('gives the same image id from another resolver instance (ids are derived, not stored)', async () => {
    const other = new ImageResolver(new RegistryClient({ allowLoopback: true }));
    const ref = `${TEST_REGISTRY_HOST}/${repository}:1`;
    expect((await other.resolve(ref)).imageId).toBe((await sut.resolve(ref)).imageId);
  });

  it('fails with the registry error whose message becomes the release failure reason', async () => {
    const ref = `localhost:5000/${repository}:missing`;
    await expect(sut.resolve(ref)).rejects.toThrow(HangarError);
    await expect(sut.resolve(ref)).rejects.toMatchObject({
      code: 'IMAGE.NOT_FOUND',
      message: `image '${ref}' not found: manifest unknown for tag 'missing' in localhost:5000/${repository}`,
    });
  });
});
