import { randomUUID } from 'node:crypto';
import type { WebhookFixture } from './registry-webhooks';

// Payload builders shared by the registry webhook fixtures, and those of distribution, Docker Hub and
// Quay; GHCR, Harbor and JFrog are in registry-webhook-vendor-sources.ts, ECR, GAR and ACR in
// registry-webhook-cloud-sources.ts.

/** Variants of the sources that have several; each applies to its source only. */
export interface RegistryWebhookOptions {
  /** `v1`: registry:2 (batch, `events.v1+json`, the default); `v2`: registry:3 (one event per envelope). */
  readonly distributionEnvelope?: 'v1' | 'v2';
  /** `pushed_at` as `1717236000`, `1717236000.25` or `1.717236e+09` (older deliveries). Default `seconds`. */
  readonly dockerhubPushedAt?: 'seconds' | 'fractional' | 'exponent';
  /** The `X-GitHub-Event`; default `package`. */
  readonly ghcrEvent?: 'package' | 'registry_package';
  /** Default `default`. */
  readonly harborFormat?: 'default' | 'cloudevents';
  /** `updated_tags` as a list (default) or the old quay.io object `{ tag: imageId }`. */
  readonly quayUpdatedTags?: 'list' | 'object';
  /** Pub/Sub push with payload unwrapping (body = the data JSON, metadata in headers). Default wrapped. */
  readonly garUnwrapped?: boolean;
  /** Deliver through Event Grid (an array of events) instead of the ACR webhook. */
  readonly acrEventGrid?: boolean;
}

/** A push with every default filled in; `tag` is `''` for a push by digest. */
export interface PushSpec {
  readonly host: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly pushedAt: Date;
  readonly id: string;
}

export interface PlatformManifest {
  readonly platform: string;
  readonly digest: string;
}

export interface SourceFixtures {
  readonly defaultHost: string;
  push(spec: PushSpec, options: RegistryWebhookOptions): WebhookFixture;
  byDigestPush(spec: PushSpec, options: RegistryWebhookOptions): WebhookFixture[];
  multiArch(index: PushSpec, platforms: readonly PlatformManifest[], options: RegistryWebhookOptions): WebhookFixture[];
  irrelevant(spec: PushSpec, options: RegistryWebhookOptions): WebhookFixture[];
}

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;
export const INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
export const MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';

export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
/** RFC 3339 without fractional seconds, as GitHub, Harbor and EventBridge write times. */
export const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
export const hex = (digest: string): string => digest.replace(/^sha256:/, '');
export const json = (body: unknown, headers: Record<string, string> = JSON_HEADERS): WebhookFixture => ({ body: JSON.stringify(body), headers });
/** `owner/name` → [`owner`, `name`] (the name keeps any further slashes). */
export const splitFirst = (repository: string): [string, string] => {
  const slash = repository.indexOf('/');
  return slash === -1 ? ['library', repository] : [repository.slice(0, slash), repository.slice(slash + 1)];
};

interface DistributionTarget {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly tag?: string;
  readonly kind: 'manifests' | 'blobs';
}

function distributionEvent(action: string, spec: PushSpec, target: DistributionTarget, id: string = randomUUID()): object {
  const method = action === 'pull' ? 'GET' : action === 'delete' ? 'DELETE' : 'PUT';
  return {
    id,
    // Go's RFC3339Nano: nanosecond fraction.
    timestamp: spec.pushedAt.toISOString().replace('Z', '000000Z'),
    action,
    target: {
      mediaType: target.mediaType,
      digest: target.digest,
      size: target.size,
      length: target.size,
      repository: spec.repository,
      url: `https://${spec.host}/v2/${spec.repository}/${target.kind}/${target.digest}`,
      ...(target.tag ? { tag: target.tag } : {}),
    },
    request: { id: randomUUID(), addr: '10.0.0.7:51234', host: spec.host, method, useragent: 'docker/27.3.1 go/go1.22.7 git-commit/41ca978 os/linux arch/amd64' },
    actor: {},
    source: { addr: 'registry-0:5000', instanceID: '9d5e2c77-5b1c-4f5e-8e57-0c4a1f3f7a11' },
  };
}

/** registry:2 POSTs all queued events in one envelope; registry:3 one envelope per event. */
function distributionDeliveries(events: object[], options: RegistryWebhookOptions): WebhookFixture[] {
  const v3 = options.distributionEnvelope === 'v2';
  const headers = { 'content-type': `application/vnd.docker.distribution.events.${v3 ? 'v2' : 'v1'}+json`, 'user-agent': 'Go-http-client/1.1' };
  const envelope = (batch: object[]) => ({ body: JSON.stringify({ events: batch }, null, 3), headers });
  return v3 ? events.map((event) => envelope([event])) : [envelope(events)];
}

const manifest = (spec: PushSpec, tag: string, mediaType = MANIFEST_MEDIA_TYPE, digest = spec.digest): DistributionTarget => ({
  mediaType,
  digest,
  size: 1024,
  tag,
  kind: 'manifests',
});

export const distributionFixtures: SourceFixtures = {
  defaultHost: 'registry.example.com',
  push: (spec, options) => distributionDeliveries([distributionEvent('push', spec, manifest(spec, spec.tag), spec.id)], options)[0]!,
  byDigestPush: (spec, options) => distributionDeliveries([distributionEvent('push', spec, manifest(spec, ''), spec.id)], options),
  multiArch: (index, platforms, options) =>
    distributionDeliveries(
      [
        distributionEvent('push', index, { mediaType: 'application/octet-stream', digest: `sha256:${'a'.repeat(64)}`, size: 3_000_000, kind: 'blobs' }),
        ...platforms.map((p) => distributionEvent('push', index, manifest(index, '', MANIFEST_MEDIA_TYPE, p.digest))),
        distributionEvent('push', index, manifest(index, index.tag, INDEX_MEDIA_TYPE), index.id),
      ],
      options,
    ),
  irrelevant: (spec, options) => [
    ...distributionDeliveries([distributionEvent('pull', spec, manifest(spec, spec.tag), spec.id)], options),
    ...distributionDeliveries([distributionEvent('delete', spec, { ...manifest(spec, ''), mediaType: '', size: 0 })], options),
    ...distributionDeliveries([distributionEvent('push', spec, { mediaType: 'application/octet-stream', digest: `sha256:${'b'.repeat(64)}`, size: 512, kind: 'blobs' })], options),
  ],
};

function dockerhubPush(spec: PushSpec, options: RegistryWebhookOptions): WebhookFixture {
  const [namespace, name] = splitFirst(spec.repository);
  const seconds = epochSeconds(spec.pushedAt);
  const body = JSON.stringify({
    callback_url: `https://registry.hub.docker.com/u/${namespace}/${name}/hook/2141b5bi5i5b02bec211i4eeih0242eg11000a/`,
    push_data: { images: [], pushed_at: seconds, pusher: namespace, tag: spec.tag },
    repository: {
      comment_count: 0,
      date_created: seconds - 86_400,
      description: '',
      dockerfile: '',
      full_description: '',
      is_official: false,
      is_private: true,
      is_trusted: false,
      name,
      namespace,
      owner: namespace,
      repo_name: spec.repository,
      repo_url: `https://hub.docker.com/r/${namespace}/${name}`,
      star_count: 0,
      status: 'Active',
    },
  });
  // JSON.stringify never writes floats in exponent form; older deliveries did (`1.417566161e+09`).
  const pushedAt =
    options.dockerhubPushedAt === 'fractional' ? `${seconds}.25` : options.dockerhubPushedAt === 'exponent' ? `${seconds / 1e9}e+09` : `${seconds}`;
  return { body: body.replace(`"pushed_at":${seconds}`, `"pushed_at":${pushedAt}`), headers: JSON_HEADERS };
}

export const dockerhubFixtures: SourceFixtures = {
  defaultHost: 'docker.io',
  push: dockerhubPush,
  byDigestPush: () => [],
  // docker/hub-feedback#2148: one multi-arch push fires several near-identical webhooks.
  multiArch: (index, platforms, options) => [index, ...platforms].map(() => dockerhubPush(index, options)),
  irrelevant: () => [],
};

function quayPush(spec: PushSpec, options: RegistryWebhookOptions, tags: readonly string[]): WebhookFixture {
  const [namespace, name] = splitFirst(spec.repository);
  const updatedTags = options.quayUpdatedTags === 'object' ? Object.fromEntries(tags.map((tag) => [tag, hex(spec.digest).slice(0, 12)])) : tags;
  return json({
    repository: spec.repository,
    namespace,
    name,
    docker_url: `${spec.host}/${spec.repository}`,
    homepage: `https://${spec.host}/repository/${spec.repository}`,
    updated_tags: updatedTags,
  });
}

export const quayFixtures: SourceFixtures = {
  defaultHost: 'quay.io',
  push: (spec, options) => quayPush(spec, options, [spec.tag]),
  byDigestPush: (spec, options) => [quayPush(spec, options, [])],
  // Quay notifies once per push, naming the tag; it does not report the index's manifests.
  multiArch: (index, _platforms, options) => [quayPush(index, options, [index.tag])],
  irrelevant: (spec) => {
    const [namespace, name] = splitFirst(spec.repository);
    const repository = { repository: spec.repository, namespace, name, docker_url: `${spec.host}/${spec.repository}`, homepage: `https://${spec.host}/repository/${spec.repository}` };
    return [
      json({
        ...repository,
        build_id: randomUUID(),
        build_name: randomUUID().slice(0, 7),
        docker_tags: [spec.tag],
        trigger_kind: 'github',
        trigger_id: randomUUID(),
        image_id: hex(spec.digest).slice(0, 12),
        manifest_digests: [spec.digest],
      }),
      json({
        ...repository,
        tags: [spec.tag],
        image: `${spec.host}/${spec.repository}:${spec.tag}`,
        vulnerability: { id: 'CVE-2024-0001', description: 'a vulnerability', link: 'https://access.redhat.com/security/cve/CVE-2024-0001', priority: 'High', has_fix: true },
      }),
    ];
  },
};
