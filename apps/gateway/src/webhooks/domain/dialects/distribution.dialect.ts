import { DeliveryCollector } from '../delivery-collector';
import { clip, digestAt, hostAt, hostOfUrl, repositoryAt, tagAt } from '../image-name';
import { JsonObject } from '../json-fields';
import { rfc3339At } from '../timestamps';
import { bearerAuth } from '../webhook-auth';
import { WebhookPayloadError, type RegistryDialect, type WebhookDelivery } from '../webhook-delivery';

/** Media types of what `docker pull` pulls by tag; anything else pushed is a blob (layer, config, …). */
export const IMAGE_MANIFEST_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  // schema 1: rejected by distribution v3 but still pushed to v2 registries by old clients.
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

/**
 * CNCF distribution (registry:2 batches, registry:3 one event per envelope; event media types v1 and
 * v2 share the JSON shape). Also GitLab's self-managed registry. Authenticated by the static
 * `Authorization` header of the endpoint config.
 */
export const distributionDialect: RegistryDialect = {
  source: 'distribution',
  authenticate: bearerAuth,
  parse(delivery) {
    const events = JsonObject.parse(delivery.body).array('events');
    const out = new DeliveryCollector('distribution', events.length > 1);
    for (let i = 0; i < events.length; i++) out.each(() => parseEvent(events.objectAt(i), delivery, out));
    return out.result();
  },
};

function parseEvent(event: JsonObject, delivery: WebhookDelivery, out: DeliveryCollector): void {
  const id = event.optionalString('id');
  const action = event.text('action');
  if (action !== 'push') {
    out.ignore(notAPush(action, event.optionalObject('target')), id);
    return;
  }
  const target = event.object('target');
  const mediaType = target.string('mediaType');
  const repositoryText = target.text('repository');
  if (!IMAGE_MANIFEST_MEDIA_TYPES.has(mediaType)) {
    out.ignore(`blob push (${clip(mediaType)}) to ${clip(repositoryText)}`, id);
    return;
  }
  const tag = target.optionalString('tag') ?? '';
  const digestText = target.optionalString('digest');
  if (tag === '') {
    out.ignore(`untagged manifest push (by digest or per-platform): ${clip(repositoryText)}@${clip(digestText ?? '?')}`, id);
    return;
  }
  const timestamp = event.optionalString('timestamp');
  out.push({
    host: eventHost(event, target),
    repository: repositoryAt(repositoryText, target.pathOf('repository')),
    tag: tagAt(tag, target.pathOf('tag')),
    digest: digestText !== undefined && digestText !== '' ? digestAt(digestText, target.pathOf('digest')) : undefined,
    pushedAt: timestamp !== undefined ? rfc3339At(timestamp, event.pathOf('timestamp')) : delivery.receivedAt.toISOString(),
    deliveryId: id,
  });
}

/** `request.host` is the Host the pushing client used; `target.url` carries the same host otherwise. */
function eventHost(event: JsonObject, target: JsonObject): string {
  const request = event.optionalObject('request');
  const requestHost = request?.optionalString('host');
  if (request && requestHost) return hostAt(requestHost, request.pathOf('host'));
  const url = target.optionalString('url');
  const urlHost = url !== undefined ? hostOfUrl(url) : undefined;
  if (urlHost !== undefined) return hostAt(urlHost, target.pathOf('url'));
  const path = request ? request.pathOf('host') : event.pathOf('request');
  throw new WebhookPayloadError(path, `${path} is missing (and ${target.pathOf('url')} names no host)`);
}

function notAPush(action: string, target: JsonObject | undefined): string {
  const repository = clip(target?.optionalString('repository') ?? '?');
  const tag = target?.optionalString('tag');
  const digest = target?.optionalString('digest');
  const what = tag ? `${repository}:${clip(tag)}` : digest ? `${repository}@${clip(digest)}` : repository;
  switch (action) {
    case 'pull':
      return `pull of ${what}`;
    case 'delete':
      return `delete of ${what}`;
    case 'mount':
      return `blob mount into ${repository}`;
    default:
      return `action ${JSON.stringify(clip(action))} is not a push`;
  }
}
