import { randomUUID } from 'node:crypto';
import type { WebhookFixture } from './registry-webhooks';
import {
  DOCKER_MANIFEST_MEDIA_TYPE,
  epochSeconds,
  hex,
  INDEX_MEDIA_TYPE,
  isoSeconds,
  json,
  JSON_HEADERS,
  splitFirst,
  type PlatformManifest,
  type PushSpec,
  type RegistryWebhookOptions,
  type SourceFixtures,
} from './registry-webhook-sources';

// Payload builders of GitHub Packages (GHCR), Harbor and JFrog Artifactory.

function githubHeaders(event: string, delivery: string): Record<string, string> {
  return {
    ...JSON_HEADERS,
    'user-agent': 'GitHub-Hookshot/9b4c1f7',
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-github-hook-id': '482910374',
    'x-github-hook-installation-target-type': 'organization',
    'x-github-hook-installation-target-id': '38302899',
  };
}

/** One `published` package event; `tag` `''` for a per-platform manifest of a multi-arch push. */
function ghcrPackage(spec: PushSpec, tag: string, digest: string, options: RegistryWebhookOptions, packageType = 'CONTAINER'): WebhookFixture {
  const event = options.ghcrEvent ?? 'package';
  const [owner, name] = splitFirst(spec.repository);
  const at = isoSeconds(spec.pushedAt);
  const body = {
    action: 'published',
    [event]: {
      id: 10696,
      name,
      namespace: owner,
      description: null,
      ecosystem: packageType,
      package_type: packageType,
      html_url: `https://github.com/orgs/${owner}/packages/container/package/${name}`,
      created_at: '2024-01-15T09:00:00Z',
      updated_at: at,
      owner: { login: owner, id: 38302899, type: 'Organization', site_admin: false },
      package_version: {
        id: 57755790,
        version: digest,
        name: digest,
        description: '',
        summary: '',
        manifest: '',
        html_url: `https://github.com/orgs/${owner}/packages/container/${name}/57755790`,
        target_commitish: 'main',
        target_oid: 'f3a4b1c2d5e6f708192a3b4c5d6e7f8091a2b3c4',
        created_at: at,
        updated_at: at,
        metadata: [],
        container_metadata: {
          tag: { name: tag, digest },
          labels: { description: '', source: `https://github.com/${owner}/${name}`, revision: '', image_url: '', licenses: '', all_labels: {} },
          manifest: {
            digest,
            media_type: tag === '' ? DOCKER_MANIFEST_MEDIA_TYPE : INDEX_MEDIA_TYPE,
            uri: `repositories/${owner}/${name}/manifests/${digest}`,
            size: 1782,
            config: { digest: `sha256:${'c'.repeat(64)}`, media_type: 'application/vnd.oci.image.config.v1+json', size: 7205 },
            layers: [],
          },
        },
        package_files: [],
        installation_command: `docker pull ghcr.io/${owner}/${name}:${tag}`,
        package_url: `ghcr.io/${owner}/${name}:${tag}`,
      },
      registry: { about_url: 'https://docs.github.com/packages', name: 'GitHub CONTAINER registry', type: 'CONTAINER', url: `https://CONTAINER.pkg.github.com/${owner}`, vendor: 'GitHub Inc' },
    },
    organization: { login: owner, id: 38302899 },
    sender: { login: 'octocat', id: 1, type: 'User' },
  };
  return json(body, githubHeaders(event, spec.id));
}

export const ghcrFixtures: SourceFixtures = {
  defaultHost: 'ghcr.io',
  push: (spec, options) => ghcrPackage(spec, spec.tag, spec.digest, options),
  byDigestPush: (spec, options) => [ghcrPackage(spec, '', spec.digest, options)],
  // github/docs#22091: one `published` per manifest, the platform ones with an empty tag name.
  multiArch: (index, platforms, options) => [
    ...platforms.map((p) => ghcrPackage({ ...index, id: randomUUID() }, '', p.digest, options)),
    ghcrPackage(index, index.tag, index.digest, options),
  ],
  irrelevant: (spec, options) => [
    json(
      { zen: 'Design for failure.', hook_id: 482910374, hook: { type: 'Organization', id: 482910374, name: 'web', active: true, events: ['package'] } },
      githubHeaders('ping', spec.id),
    ),
    ghcrPackage({ ...spec, id: randomUUID() }, spec.tag, spec.digest, options, 'docker'),
  ],
};

interface HarborResource {
  readonly tag: string;
  readonly digest: string;
}

function harborDelivery(type: 'PUSH_ARTIFACT' | 'PULL_ARTIFACT' | 'DELETE_ARTIFACT', spec: PushSpec, resources: readonly HarborResource[], options: RegistryWebhookOptions): WebhookFixture {
  const [namespace, name] = splitFirst(spec.repository);
  const data = {
    resources: resources.map((r) => ({
      digest: r.digest,
      tag: r.tag || r.digest,
      resource_url: r.tag ? `${spec.host}/${spec.repository}:${r.tag}` : `${spec.host}/${spec.repository}@${r.digest}`,
    })),
    repository: { date_created: epochSeconds(spec.pushedAt) - 3600, name, namespace, repo_full_name: spec.repository, repo_type: 'private' },
  };
  const operator = type === 'PULL_ARTIFACT' ? `robot$${namespace}+scanner-Trivy-51a8ae10-6d2a-11ee-9d45-0242ac120009` : 'admin';
  if (options.harborFormat === 'cloudevents') {
    const ceType = { PUSH_ARTIFACT: 'harbor.artifact.pushed', PULL_ARTIFACT: 'harbor.artifact.pulled', DELETE_ARTIFACT: 'harbor.artifact.deleted' }[type];
    return json(
      { specversion: '1.0', requestid: randomUUID(), id: spec.id, source: '/projects/2/webhook/policies/5', type: ceType, datacontenttype: 'application/json', time: isoSeconds(spec.pushedAt), data, operator },
      { 'content-type': 'application/cloudevents+json' },
    );
  }
  return json({ type, occur_at: epochSeconds(spec.pushedAt), operator, event_data: data });
}

export const harborFixtures: SourceFixtures = {
  defaultHost: 'harbor.example.com',
  push: (spec, options) => harborDelivery('PUSH_ARTIFACT', spec, [{ tag: spec.tag, digest: spec.digest }], options),
  byDigestPush: (spec, options) => [harborDelivery('PUSH_ARTIFACT', spec, [{ tag: '', digest: spec.digest }], options)],
  // goharbor/harbor#22073: one event per manifest of an index push; the platform ones carry the digest as tag.
  multiArch: (index, platforms, options) => [
    ...platforms.map((p) => harborDelivery('PUSH_ARTIFACT', { ...index, id: randomUUID() }, [{ tag: '', digest: p.digest }], options)),
    harborDelivery('PUSH_ARTIFACT', index, [{ tag: index.tag, digest: index.digest }], options),
  ],
  irrelevant: (spec, options) => [
    harborDelivery('PULL_ARTIFACT', spec, [{ tag: spec.tag, digest: spec.digest }], options),
    harborDelivery('DELETE_ARTIFACT', { ...spec, id: randomUUID() }, [{ tag: spec.tag, digest: spec.digest }], options),
  ],
};

/** `spec.repository` is the pull path `<repo_key>/<image>` (repository-path access). */
function jfrogDocker(eventType: string, spec: PushSpec, file: 'manifest.json' | 'list.manifest.json', folder: string, platforms: readonly PlatformManifest[]): WebhookFixture {
  const slash = spec.repository.indexOf('/');
  const repoKey = slash < 0 ? 'docker-local' : spec.repository.slice(0, slash);
  const image = slash < 0 ? spec.repository : spec.repository.slice(slash + 1);
  return json({
    domain: 'docker',
    event_type: eventType,
    data: {
      repo_key: repoKey,
      event_type: eventType,
      path: `${image}/${folder}/${file}`,
      name: file,
      sha256: hex(spec.digest),
      size: 1206,
      image_name: image,
      tag: folder,
      platforms: platforms.map((p) => ({ architecture: p.platform.split('/')[1] ?? 'amd64', os: p.platform.split('/')[0] ?? 'linux' })),
    },
    subscription_key: 'hangar',
    jpd_origin: `https://${spec.host}`,
    source: 'jfrog/admin',
  });
}

const AMD64: readonly PlatformManifest[] = [{ platform: 'linux/amd64', digest: '' }];

export const jfrogFixtures: SourceFixtures = {
  defaultHost: 'example.jfrog.io',
  push: (spec) => jfrogDocker('pushed', spec, 'manifest.json', spec.tag, AMD64),
  // Inferred (JFrog does not document it): a manifest stored under its digest, folder `sha256__<hex>`.
  byDigestPush: (spec) => [jfrogDocker('pushed', spec, 'manifest.json', `sha256__${hex(spec.digest)}`, AMD64)],
  // The docs' own example: a multi-arch push arrives as the tagged `list.manifest.json`.
  multiArch: (index, platforms) => [jfrogDocker('pushed', index, 'list.manifest.json', index.tag, platforms)],
  irrelevant: (spec) => [
    jfrogDocker('deleted', spec, 'manifest.json', spec.tag, AMD64),
    json({
      domain: 'artifact',
      event_type: 'deployed',
      data: { repo_key: 'docker-local', path: `${spec.repository}/${spec.tag}/sha256__${'d'.repeat(64)}`, name: `sha256__${'d'.repeat(64)}`, size: 3_000_000, sha256: 'd'.repeat(64) },
      subscription_key: 'hangar',
      jpd_origin: `https://${spec.host}`,
      source: 'jfrog/admin',
    }),
  ],
};
