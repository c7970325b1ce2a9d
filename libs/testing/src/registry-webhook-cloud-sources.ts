import { randomUUID } from 'node:crypto';
import type { WebhookFixture } from './registry-webhooks';
import { INDEX_MEDIA_TYPE, isoSeconds, json, MANIFEST_MEDIA_TYPE, type PushSpec, type RegistryWebhookOptions, type SourceFixtures } from './registry-webhook-sources';

// Payload builders of AWS ECR (EventBridge), Google Artifact Registry (Pub/Sub push) and Azure ACR.

const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

function ecrEvent(spec: PushSpec, detailType: string, detail: Record<string, unknown>): WebhookFixture {
  const match = ECR_HOST.exec(spec.host);
  if (!match) throw new Error(`ECR fixture host must be <account>.dkr.ecr.<region>.amazonaws.com, got ${spec.host}`);
  return json({
    version: '0',
    id: spec.id,
    'detail-type': detailType,
    source: 'aws.ecr',
    account: match[1],
    time: isoSeconds(spec.pushedAt),
    region: match[2],
    resources: detailType === 'ECR Image Action' ? [] : [`arn:aws:ecr:${match[2]}:${match[1]}:repository/${spec.repository}`],
    detail,
  });
}

function ecrAction(spec: PushSpec, tag: string, digest = spec.digest, actionType = 'PUSH', result = 'SUCCESS'): WebhookFixture {
  return ecrEvent(spec, 'ECR Image Action', {
    result,
    'repository-name': spec.repository,
    'image-digest': digest,
    'action-type': actionType,
    'image-tag': tag,
    'manifest-media-type': tag === spec.tag && tag !== '' ? INDEX_MEDIA_TYPE : MANIFEST_MEDIA_TYPE,
  });
}

export const ecrFixtures: SourceFixtures = {
  defaultHost: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  push: (spec) => ecrAction(spec, spec.tag),
  byDigestPush: (spec) => [ecrAction(spec, '')],
  multiArch: (index, platforms) => [...platforms.map((p) => ecrAction({ ...index, id: randomUUID() }, '', p.digest)), ecrAction(index, index.tag)],
  irrelevant: (spec) => [
    ecrEvent(spec, 'ECR Image Scan', {
      'scan-status': 'COMPLETE',
      'repository-name': spec.repository,
      'finding-severity-counts': { CRITICAL: 0, MEDIUM: 2 },
      'image-digest': spec.digest,
      'image-tags': [spec.tag],
    }),
    ecrAction({ ...spec, id: randomUUID() }, spec.tag, spec.digest, 'DELETE'),
    ecrAction({ ...spec, id: randomUUID() }, spec.tag, spec.digest, 'PUSH', 'FAILURE'),
  ],
};

interface GarData {
  readonly action: 'INSERT' | 'DELETE';
  readonly digest?: string;
  readonly tag?: string;
}

/** A Pub/Sub push of one `gcr` topic message; Pub/Sub message ids are decimal strings. */
function garMessage(spec: PushSpec, data: GarData, options: RegistryWebhookOptions, messageId = spec.id): WebhookFixture {
  const publishTime = spec.pushedAt.toISOString();
  const subscription = 'projects/my-project/subscriptions/hangar-push';
  if (options.garUnwrapped) {
    return json(data, {
      'content-type': 'application/json',
      'x-goog-pubsub-message-id': messageId,
      'x-goog-pubsub-publish-time': publishTime,
      'x-goog-pubsub-subscription-name': subscription,
    });
  }
  const encoded = Buffer.from(JSON.stringify(data)).toString('base64');
  return json({ message: { data: encoded, messageId, message_id: messageId, publishTime, publish_time: publishTime }, subscription });
}

const nextMessageId = (id: string, n: number): string => (/^\d+$/.test(id) ? String(BigInt(id) + BigInt(n)) : `${id}-${n}`);

export const garFixtures: SourceFixtures = {
  defaultHost: 'europe-west1-docker.pkg.dev',
  push: (spec, options) => garMessage(spec, { action: 'INSERT', digest: `${spec.host}/${spec.repository}@${spec.digest}`, tag: `${spec.host}/${spec.repository}:${spec.tag}` }, options),
  byDigestPush: (spec, options) => [garMessage(spec, { action: 'INSERT', digest: `${spec.host}/${spec.repository}@${spec.digest}` }, options)],
  // Every manifest is uploaded (digest-only INSERT); the tag then adds a second INSERT for the index.
  multiArch: (index, platforms, options) => {
    const digests = [...platforms.map((p) => p.digest), index.digest];
    return [
      ...digests.map((digest, i) => garMessage(index, { action: 'INSERT', digest: `${index.host}/${index.repository}@${digest}` }, options, nextMessageId(index.id, i + 1))),
      garFixtures.push(index, options),
    ];
  },
  irrelevant: (spec, options) => [
    garMessage(spec, { action: 'DELETE', tag: `${spec.host}/${spec.repository}:${spec.tag}` }, options),
    garMessage(spec, { action: 'DELETE', digest: `${spec.host}/${spec.repository}@${spec.digest}` }, options, nextMessageId(spec.id, 1)),
  ],
};

/** ACR writes seven fractional digits. */
const acrTime = (date: Date): string => date.toISOString().replace('Z', '0000Z');

function acrEvent(spec: PushSpec, action: string, target: Record<string, unknown>, withRequest = true): Record<string, unknown> {
  return {
    id: spec.id,
    timestamp: acrTime(spec.pushedAt),
    action,
    target,
    ...(withRequest
      ? { request: { id: randomUUID(), host: spec.host, method: action === 'delete' ? 'DELETE' : 'PUT', useragent: 'docker/27.3.1 go/go1.22.7 git-commit/41ca978 os/linux arch/amd64' } }
      : {}),
  };
}

function acrDelivery(spec: PushSpec, event: Record<string, unknown>, options: RegistryWebhookOptions, eventType = 'Microsoft.ContainerRegistry.ImagePushed'): WebhookFixture {
  if (!options.acrEventGrid) return json(event);
  const registry = spec.host.split('.')[0] ?? 'myregistry';
  const target = event['target'] as Record<string, unknown>;
  return json([
    {
      id: spec.id,
      topic: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/${registry}`,
      subject: `${String(target['repository'])}:${String(target['tag'] ?? '')}`,
      eventType,
      eventTime: acrTime(spec.pushedAt),
      data: event,
      dataVersion: '1.0',
      metadataVersion: '1',
    },
  ], { 'content-type': 'application/json', 'aeg-event-type': 'Notification' });
}

const acrTarget = (spec: PushSpec, tag: string, digest = spec.digest, mediaType = MANIFEST_MEDIA_TYPE) => ({
  mediaType,
  size: 524,
  digest,
  length: 524,
  repository: spec.repository,
  ...(tag ? { tag } : {}),
});

export const acrFixtures: SourceFixtures = {
  defaultHost: 'myregistry.azurecr.io',
  push: (spec, options) => acrDelivery(spec, acrEvent(spec, 'push', acrTarget(spec, spec.tag)), options),
  byDigestPush: (spec, options) => [acrDelivery(spec, acrEvent(spec, 'push', acrTarget(spec, '')), options)],
  multiArch: (index, platforms, options) => [
    ...platforms.map((p) => {
      const spec = { ...index, id: randomUUID() };
      return acrDelivery(spec, acrEvent(spec, 'push', acrTarget(index, '', p.digest)), options);
    }),
    acrDelivery(index, acrEvent(index, 'push', acrTarget(index, index.tag, index.digest, INDEX_MEDIA_TYPE)), options),
  ],
  irrelevant: (spec, options) => {
    const next = () => ({ ...spec, id: randomUUID() });
    const deleted = next();
    const chart = next();
    return [
      // The portal's Ping button.
      json(acrEvent(spec, 'ping', { mediaType: '', size: 0, digest: '', length: 0, repository: '', url: '', tag: '' })),
      acrDelivery(deleted, acrEvent(deleted, 'delete', { mediaType: MANIFEST_MEDIA_TYPE, digest: spec.digest, repository: spec.repository }), options, 'Microsoft.ContainerRegistry.ImageDeleted'),
      acrDelivery(chart, acrEvent(chart, 'chart_push', { mediaType: 'application/vnd.acr.helm.chart', size: 25, digest: spec.digest, repository: spec.repository, tag: `${spec.tag}.tgz`, name: spec.repository, version: spec.tag }, false), options, 'Microsoft.ContainerRegistry.ChartPushed'),
    ];
  },
};
