import { DeliveryCollector } from '../delivery-collector';
import { clip, digestAt, hostAt, quote, repositoryAt, tagAt } from '../image-name';
import { JsonObject } from '../json-fields';
import { rfc3339At } from '../timestamps';
import { headerSecretAuth } from '../webhook-auth';
import { WebhookPayloadError, type RegistryDialect, type WebhookDelivery } from '../webhook-delivery';

/**
 * AWS ECR through an EventBridge rule whose target is an API destination: the body is the whole
 * EventBridge event, authenticated by the connection's API key header `x-api-key`. Only a successful
 * tagged `PUSH` of `ECR Image Action` is a push; each tag of a push is its own event.
 */
export const ecrDialect: RegistryDialect = {
  source: 'ecr',
  authenticate: (secret, delivery) => headerSecretAuth('x-api-key', secret, delivery),
  parse(delivery) {
    const event = JsonObject.parse(delivery.body);
    const out = new DeliveryCollector('ecr', false);
    const id = event.optionalString('id') || undefined;
    const reason = irrelevance(event);
    if (reason !== undefined) out.ignore(reason, id);
    else parsePush(event, delivery, out, id);
    return out.result();
  },
};

/** Why the event is not a push to deploy, or `undefined` when it is one. */
function irrelevance(event: JsonObject): string | undefined {
  const source = event.text('source');
  if (source !== 'aws.ecr') return `EventBridge event from ${clip(source)}, not aws.ecr`;
  const detailType = event.text('detail-type');
  if (detailType !== 'ECR Image Action') return `${clip(detailType)} event, not an image push`;
  const detail = event.object('detail');
  const repository = clip(detail.optionalString('repository-name') ?? '?');
  const tag = detail.optionalString('image-tag') ?? '';
  const actionType = detail.text('action-type');
  if (actionType !== 'PUSH') return `${clip(actionType.toLowerCase())} of ${repository}${tag ? `:${clip(tag)}` : ''}`;
  if (detail.text('result') !== 'SUCCESS') return `push failed: ${repository}${tag ? `:${clip(tag)}` : ''}`;
  if (tag === '') return `untagged push (by digest or per-platform): ${repository}@${clip(detail.optionalString('image-digest') ?? '?')}`;
  return undefined;
}

function parsePush(event: JsonObject, delivery: WebhookDelivery, out: DeliveryCollector, id: string | undefined): void {
  const detail = event.object('detail');
  const digest = detail.optionalString('image-digest');
  const time = event.optionalString('time');
  out.push({
    host: registryHost(event),
    repository: repositoryAt(detail.text('repository-name'), detail.pathOf('repository-name')),
    tag: tagAt(detail.text('image-tag'), detail.pathOf('image-tag')),
    digest: digest ? digestAt(digest, detail.pathOf('image-digest')) : undefined,
    pushedAt: time !== undefined ? rfc3339At(time, event.pathOf('time')) : delivery.receivedAt.toISOString(),
    deliveryId: id,
  });
}

/** `<account>.dkr.ecr.<region>.amazonaws.com` (`.com.cn` in the China partition), as `docker pull` uses it. */
function registryHost(event: JsonObject): string {
  const account = event.text('account');
  if (!/^\d{12}$/.test(account)) {
    throw new WebhookPayloadError(event.pathOf('account'), `account ${quote(account)} is not a 12-digit AWS account id`);
  }
  const region = event.text('region');
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return hostAt(`${account}.dkr.ecr.${region}.${domain}`, event.pathOf('region'));
}
