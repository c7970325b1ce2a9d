import { HangarError } from '@hangar/contracts';
import type { OciBlob, OciImage } from './oci-image';

/** The local registry `scripts/services.sh` runs (Debian's docker-registry, no auth). */
export const TEST_REGISTRY_URL = 'http://127.0.0.1:5000';
export const TEST_REGISTRY_HOST = '127.0.0.1:5000';

const PUSH_FAILED = 'TESTING.OCI_PUSH_FAILED';

/**
 * Pushes `image` as `<repository>:<tag>` over the distribution API (monolithic blob uploads, skipped
 * for blobs the registry has) and returns the manifest digest the registry reports.
 */
export async function pushImage(registryUrl: string, repository: string, tag: string, image: OciImage): Promise<string> {
  for (const item of [...image.layers, image.config]) await pushBlob(registryUrl, repository, item);
  const response = await fetch(`${registryUrl}/v2/${repository}/manifests/${encodeURIComponent(tag)}`, {
    method: 'PUT',
    headers: { 'content-type': image.manifest.mediaType },
    body: image.manifest.bytes,
  });
  await expectStatus(response, 201, `PUT manifest ${repository}:${tag}`);
  const digest = response.headers.get('docker-content-digest') ?? image.manifest.digest;
  if (digest !== image.manifest.digest) {
    throw new HangarError(PUSH_FAILED, `registry stored ${repository}:${tag} as ${digest}, expected ${image.manifest.digest}`);
  }
  return digest;
}

/** Deletes a manifest (the test registry has `delete.enabled`), so tests leave no tags behind. */
export async function deleteImage(registryUrl: string, repository: string, digest: string): Promise<void> {
  const response = await fetch(`${registryUrl}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' });
  if (response.status === 404) {
    await response.arrayBuffer();
    return;
  }
  await expectStatus(response, 202, `DELETE manifest ${repository}@${digest}`);
}

async function pushBlob(registryUrl: string, repository: string, item: OciBlob): Promise<void> {
  const head = await fetch(`${registryUrl}/v2/${repository}/blobs/${item.digest}`, { method: 'HEAD' });
  if (head.status === 200) return;

  const start = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  await expectStatus(start, 202, `POST blob upload to ${repository}`);
  const location = start.headers.get('location');
  if (!location) throw new HangarError(PUSH_FAILED, `blob upload to ${repository} returned no Location`);
  const uploadUrl = new URL(location, registryUrl);
  uploadUrl.searchParams.set('digest', item.digest);
  const put = await fetch(uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(item.size) },
    body: item.bytes,
  });
  await expectStatus(put, 201, `PUT blob ${item.digest} to ${repository}`);
}

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  const body = await response.text();
  if (response.status !== status) {
    throw new HangarError(PUSH_FAILED, `${what}: expected HTTP ${status}, got ${response.status}: ${body.slice(0, 500)}`, {
      status: response.status,
    });
  }
}
