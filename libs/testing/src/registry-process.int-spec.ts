import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildMinimalImage, OCI_MANIFEST_MEDIA_TYPE, type OciImage } from './oci-image';
import { pushImage } from './oci-push';
import { startRegistryProcess, type RegistryProcess } from './registry-process';

jest.setTimeout(60_000);

const ENVELOPE_V1 = 'application/vnd.docker.distribution.events.v1+json';
const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
const AUTHORIZATION = 'Bearer s3cret';
const TOKEN = 't0ken-value';

/** The fields of a distribution notification event these tests look at. */
interface RegistryEvent {
  id: string;
  timestamp: string;
  action: string;
  target: { mediaType?: string; digest: string; size?: number; repository: string; url?: string; tag?: string };
  request: { host: string; method: string };
}

interface Delivery {
  url: string;
  headers: IncomingHttpHeaders;
  events: RegistryEvent[];
  receivedAt: number;
}

/** A webhook endpoint that answers 200 and keeps every delivery. */
async function startRecorder(): Promise<{ url: string; deliveries: Delivery[]; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: RegistryEvent[] };
      deliveries.push({ url: req.url ?? '', headers: req.headers, events: body.events, receivedAt: Date.now() });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function findEvent(deliveries: Delivery[], match: (event: RegistryEvent) => boolean): { delivery: Delivery; event: RegistryEvent } | undefined {
  for (const delivery of deliveries) {
    const event = delivery.events.find(match);
    if (event) return { delivery, event };
  }
  return undefined;
}

/** Uploads one blob (monolithic), without any manifest referring to it. */
async function pushBlobOnly(registryUrl: string, repository: string, bytes: Buffer): Promise<string> {
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const start = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  await start.arrayBuffer();
  expect(start.status).toBe(202);
  const upload = new URL(start.headers.get('location')!, registryUrl);
  upload.searchParams.set('digest', digest);
  const put = await fetch(upload, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
  await put.arrayBuffer();
  expect(put.status).toBe(201);
  return digest;
}

async function putManifest(registryUrl: string, repository: string, reference: string, mediaType: string, bytes: Buffer): Promise<void> {
  const response = await fetch(`${registryUrl}/v2/${repository}/manifests/${reference}`, { method: 'PUT', headers: { 'content-type': mediaType }, body: bytes });
  await response.arrayBuffer();
  expect(response.status).toBe(201);
}

describe(startRegistryProcess.name, () => {
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let sut: RegistryProcess;

  beforeAll(async () => {
    recorder = await startRecorder();
    sut = await startRegistryProcess({
      notifications: { url: `${recorder.url}/v1/webhooks/registry/rcv-1?token=${TOKEN}`, headers: { Authorization: [AUTHORIZATION] } },
    });
  });

  afterAll(async () => {
    await sut?.stop();
    await recorder?.close();
  });

  it('answers the distribution API on a private loopback port', async () => {
    expect(sut.url).toBe(`http://${sut.host}`);
    expect(sut.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(sut.host).not.toBe('127.0.0.1:5000');
    const response = await fetch(`${sut.url}/v2/`);
    await response.arrayBuffer();
    expect(response.status).toBe(200);
  });

  it('delivers a push by tag with the pushed digest, the configured headers and the v1 envelope type', async () => {
    const digest = await pushImage(sut.url, 'acme/web', '1.0', buildMinimalImage());
    const pushedAt = Date.now();

    const { delivery, event } = await waitFor('the push of acme/web:1.0', () =>
      findEvent(recorder.deliveries, (e) => e.action === 'push' && e.target.tag === '1.0' && e.target.repository === 'acme/web'),
    );

    expect(event.target).toMatchObject({ digest, mediaType: OCI_MANIFEST_MEDIA_TYPE, url: `${sut.url}/v2/acme/web/manifests/${digest}` });
    expect(event.request).toMatchObject({ host: sut.host, method: 'PUT' });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(Date.parse(event.timestamp) - pushedAt)).toBeLessThan(60_000);
    expect(delivery.headers['authorization']).toBe(AUTHORIZATION);
    expect(delivery.headers['content-type']).toBe(ENVELOPE_V1);
    expect(delivery.url).toBe(`/v1/webhooks/registry/rcv-1?token=${TOKEN}`);
  });

  it('delivers a push by digest without a tag', async () => {
    const image = buildMinimalImage();
    const digest = await pushImage(sut.url, 'acme/by-digest', image.manifest.digest, image);

    const { event } = await waitFor('the push of acme/by-digest@digest', () =>
      findEvent(recorder.deliveries, (e) => e.action === 'push' && e.target.repository === 'acme/by-digest'),
    );

    expect(event.target.digest).toBe(digest);
    expect(event.target.mediaType).toBe(OCI_MANIFEST_MEDIA_TYPE);
    expect(event.target).not.toHaveProperty('tag');
  });

  it('sends no blob events (ignoredmediatypes application/octet-stream)', async () => {
    const blobDigest = await pushBlobOnly(sut.url, 'acme/blobs', Buffer.from(`lonely blob ${Date.now()}`));
    // Events go out serially from one queue, so once the later marker push has arrived, a blob event would have too.
    const image = buildMinimalImage();
    await pushImage(sut.url, 'acme/blobs', 'marker', image);
    await waitFor('the marker push', () => findEvent(recorder.deliveries, (e) => e.target.repository === 'acme/blobs' && e.target.tag === 'marker'));

    const blobDigests = [blobDigest, image.config.digest, ...image.layers.map((layer) => layer.digest)];
    expect(findEvent(recorder.deliveries, (e) => blobDigests.includes(e.target.digest))).toBeUndefined();
    expect(findEvent(recorder.deliveries, (e) => e.target.mediaType === 'application/octet-stream')).toBeUndefined();
  });

  it('delivers a multi-arch push as untagged platform manifests and one tagged index', async () => {
    const platforms: { image: OciImage; architecture: string }[] = [
      { image: buildMinimalImage(), architecture: 'amd64' },
      { image: buildMinimalImage(), architecture: 'arm64' },
    ];
    for (const { image } of platforms) await pushImage(sut.url, 'acme/multi', image.manifest.digest, image);
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX_MEDIA_TYPE,
        manifests: platforms.map(({ image, architecture }) => ({
          mediaType: image.manifest.mediaType,
          digest: image.manifest.digest,
          size: image.manifest.size,
          platform: { architecture, os: 'linux' },
        })),
      }),
    );
    const indexDigest = `sha256:${createHash('sha256').update(index).digest('hex')}`;
    await putManifest(sut.url, 'acme/multi', '2.0', OCI_INDEX_MEDIA_TYPE, index);

    const { event } = await waitFor('the index push', () => findEvent(recorder.deliveries, (e) => e.target.repository === 'acme/multi' && e.target.tag === '2.0'));
    expect(event.target).toMatchObject({ digest: indexDigest, mediaType: OCI_INDEX_MEDIA_TYPE });
    expect(event.action).toBe('push');
    const pushes = recorder.deliveries.flatMap((d) => d.events).filter((e) => e.target.repository === 'acme/multi' && e.action === 'push');
    expect(pushes.filter((e) => e.target.tag === undefined).map((e) => e.target.digest).sort()).toEqual(platforms.map((p) => p.image.manifest.digest).sort());
  });

  it('masks the notification secrets in logs()', () => {
    const logs = sut.logs();
    expect(logs).toContain('configuring endpoint');
    expect(logs).toContain('[redacted]');
    expect(logs).not.toContain('s3cret');
    expect(logs).not.toContain(TOKEN);
  });
});

describe(`${startRegistryProcess.name} options and lifecycle`, () => {
  it('sends blob pushes as application/octet-stream when ignoredMediaTypes is empty', async () => {
    const recorder = await startRecorder();
    const sut = await startRegistryProcess({ notifications: { url: `${recorder.url}/hook`, ignoredMediaTypes: [] } });
    try {
      const blobDigest = await pushBlobOnly(sut.url, 'acme/blobs', Buffer.from(`visible blob ${Date.now()}`));
      const { event } = await waitFor('the blob push', () => findEvent(recorder.deliveries, (e) => e.target.digest === blobDigest));
      expect(event).toMatchObject({ action: 'push', target: { mediaType: 'application/octet-stream', repository: 'acme/blobs' } });
      expect(event.target).not.toHaveProperty('tag');
    } finally {
      await sut.stop();
      await recorder.close();
    }
  });

  it('stop() ends the registry and can be called twice', async () => {
    const sut = await startRegistryProcess();
    await sut.stop();
    await sut.stop();
    await expect(fetch(`${sut.url}/v2/`)).rejects.toThrow();
  });

  it('fails with the process output when the registry exits at startup', async () => {
    // `sh serve <config>` exits at once complaining about `serve`: a stand-in for a registry that rejects its config.
    await expect(startRegistryProcess({ binary: '/bin/sh', startTimeoutMs: 5000 })).rejects.toThrow(/exited with \d+[\s\S]*serve/);
  });

  it('fails naming the binary when it cannot be spawned', async () => {
    await expect(startRegistryProcess({ binary: '/nonexistent/docker-registry' })).rejects.toThrow(/could not spawn: .*ENOENT/);
  });
});
