import { DeliveryCollector } from '../delivery-collector';
import { clip, digestAt, hostAt, quote, repositoryAt, splitReference, tagAt } from '../image-name';
import { JsonObject, parseJson } from '../json-fields';
import { rfc3339At } from '../timestamps';
import { queryTokenAuth } from '../webhook-auth';
import { WebhookPayloadError, type ParsedDelivery, type RegistryDialect, type WebhookDelivery } from '../webhook-delivery';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** One Pub/Sub message of the `gcr` topic, however it arrived. */
interface GarMessage {
  readonly data: JsonObject;
  readonly messageId?: string;
  readonly publishTime?: string;
}

/**
 * Google Artifact Registry through a Pub/Sub push subscription on the `gcr` topic: the wrapped envelope
 * (`message.data` base64) or, with payload unwrapping, the data JSON itself plus `x-goog-pubsub-*`
 * headers. A tagged push arrives as a digest-only INSERT and an INSERT with the tag, in any order;
 * only the latter is a push. Authenticated by `?token=` in the push endpoint URL.
 */
export const garDialect: RegistryDialect = {
  source: 'gar',
  authenticate: queryTokenAuth,
  parse(delivery) {
    const body = JsonObject.parse(delivery.body);
    const message = body.has('message') ? wrapped(body.object('message')) : unwrapped(body, delivery);
    const { data, messageId } = message;
    const out = new DeliveryCollector('gar', false);
    const action = data.text('action');
    const tagRef = data.optionalString('tag') || undefined;
    const digestRef = data.optionalString('digest') || undefined;
    if (action === 'DELETE') return ignored(out, `delete of ${clip(tagRef ?? digestRef ?? '?')}`, messageId);
    if (action !== 'INSERT') return ignored(out, `action ${clip(action)} is not an INSERT`, messageId);
    if (tagRef === undefined) return ignored(out, `digest-only upload (no tag): ${clip(digestRef ?? '?')}`, messageId);
    const tagPath = data.pathOf('tag');
    const reference = splitReference(tagRef);
    if (reference === undefined || reference.tag === undefined) {
      throw new WebhookPayloadError(tagPath, `${tagPath} ${quote(tagRef)} is not a HOST/REPOSITORY:TAG reference`);
    }
    const digest = digestRef !== undefined ? splitReference(digestRef)?.digest : undefined;
    if (digestRef !== undefined && digest === undefined) {
      throw new WebhookPayloadError(data.pathOf('digest'), `${data.pathOf('digest')} ${quote(digestRef)} is not a HOST/REPOSITORY@DIGEST reference`);
    }
    out.push({
      host: hostAt(reference.host, tagPath),
      repository: repositoryAt(reference.repository, tagPath),
      tag: tagAt(reference.tag, tagPath),
      digest: digest !== undefined ? digestAt(digest, data.pathOf('digest')) : undefined,
      pushedAt: message.publishTime ?? delivery.receivedAt.toISOString(),
      deliveryId: messageId,
    });
    return out.result();
  },
};

function ignored(out: DeliveryCollector, reason: string, messageId: string | undefined): ParsedDelivery {
  out.ignore(reason, messageId);
  return out.result();
}

function wrapped(message: JsonObject): GarMessage {
  const encoded = message.text('data');
  const path = message.pathOf('data');
  if (!BASE64.test(encoded)) throw new WebhookPayloadError(path, `${path} is not base64`);
  const bytes = Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0));
  const data = JsonObject.of(parseJson(bytes, path), path);
  const messageId = message.optionalString('messageId') ?? message.optionalString('message_id');
  const publishKey = message.has('publishTime') ? 'publishTime' : 'publish_time';
  const publishTime = message.optionalString(publishKey);
  return {
    data,
    messageId: messageId || undefined,
    publishTime: publishTime ? rfc3339At(publishTime, message.pathOf(publishKey)) : undefined,
  };
}

function unwrapped(body: JsonObject, delivery: WebhookDelivery): GarMessage {
  const messageId = delivery.headers['x-goog-pubsub-message-id'] || undefined;
  const publishTime = delivery.headers['x-goog-pubsub-publish-time'] || undefined;
  return {
    data: body,
    messageId,
    publishTime: publishTime !== undefined ? rfc3339At(publishTime, 'headers.x-goog-pubsub-publish-time') : undefined,
  };
}
