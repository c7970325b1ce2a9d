import { DeliveryCollector } from '../delivery-collector';
import { clip, digestAt, hostAt, repositoryAt, tagAt } from '../image-name';
import { JsonArray, JsonObject, parseJson } from '../json-fields';
import { rfc3339At } from '../timestamps';
import { bearerAuth } from '../webhook-auth';
import type { RegistryDialect, WebhookDelivery } from '../webhook-delivery';

const IMAGE_PUSHED = 'Microsoft.ContainerRegistry.ImagePushed';
const SUBSCRIPTION_VALIDATION = 'Microsoft.EventGrid.SubscriptionValidationEvent';

/**
 * Azure Container Registry: its own webhook (one unwrapped event, `Authorization: Bearer <secret>` as a
 * custom header) or Event Grid (one event or an array, the ACR event in `data`, Event Grid or
 * CloudEvents schema; a delivery with a custom `Authorization` header works the same way).
 */
export const acrDialect: RegistryDialect = {
  source: 'acr',
  authenticate: bearerAuth,
  parse(delivery) {
    const body = parseJson(delivery.body);
    if (Array.isArray(body)) {
      const events = JsonArray.of(body);
      const out = new DeliveryCollector('acr', events.length > 1);
      for (let i = 0; i < events.length; i++) out.each(() => parseEventGrid(events.objectAt(i), delivery, out));
      return out.result();
    }
    const event = JsonObject.of(body);
    const out = new DeliveryCollector('acr', false);
    if (event.has('eventType') || event.has('specversion')) parseEventGrid(event, delivery, out);
    else parseAcrEvent(event, delivery, out);
    return out.result();
  },
};

function parseEventGrid(event: JsonObject, delivery: WebhookDelivery, out: DeliveryCollector): void {
  const typeKey = event.has('specversion') ? 'type' : 'eventType';
  const type = event.text(typeKey);
  const id = event.optionalString('id') || undefined;
  if (type === SUBSCRIPTION_VALIDATION) {
    return out.ignore('Event Grid subscription validation (confirm the subscription with its validation URL)', id);
  }
  if (type !== IMAGE_PUSHED) return out.ignore(`Event Grid event ${clip(type)} is not an image push`, id);
  parseAcrEvent(event.object('data'), delivery, out, id);
}

/** The ACR event itself; its `id` is the same whether it came as a webhook or through Event Grid. */
function parseAcrEvent(event: JsonObject, delivery: WebhookDelivery, out: DeliveryCollector, envelopeId?: string): void {
  const id = event.optionalString('id') || envelopeId;
  const action = event.text('action');
  if (action === 'ping') return out.ignore('ping: the webhook works; a ping deploys nothing', id);
  const target = event.optionalObject('target');
  const repositoryText = target?.optionalString('repository') ?? target?.optionalString('name') ?? '?';
  const tag = target?.optionalString('tag') ?? '';
  if (action !== 'push') return out.ignore(`action ${clip(action)} of ${clip(repositoryText)}${tag ? `:${clip(tag)}` : ''} is not an image push`, id);
  const pushed = event.object('target');
  if (tag === '') {
    const digest = pushed.optionalString('digest') ?? '?';
    return out.ignore(`untagged manifest push (by digest or per-platform): ${clip(repositoryText)}@${clip(digest)}`, id);
  }
  const request = event.object('request');
  const digest = pushed.optionalString('digest');
  const timestamp = event.optionalString('timestamp');
  out.push({
    host: hostAt(request.text('host'), request.pathOf('host')),
    repository: repositoryAt(pushed.text('repository'), pushed.pathOf('repository')),
    tag: tagAt(tag, pushed.pathOf('tag')),
    digest: digest ? digestAt(digest, pushed.pathOf('digest')) : undefined,
    pushedAt: timestamp !== undefined ? rfc3339At(timestamp, event.pathOf('timestamp')) : delivery.receivedAt.toISOString(),
    deliveryId: id,
  });
}
