import { DeliveryCollector } from '../delivery-collector';
import { clip, digestAt, hostAt, hostPrefix, looksLikeDigest, repositoryAt, tagAt } from '../image-name';
import { JsonObject } from '../json-fields';
import { epochSecondsAt, rfc3339At } from '../timestamps';
import { bearerAuth } from '../webhook-auth';
import type { RegistryDialect, WebhookDelivery } from '../webhook-delivery';

/** What a Harbor delivery says, whichever of its two payload formats it came in. */
interface HarborEnvelope {
  readonly type: string;
  readonly pushType: string;
  /** `event_data` (Default) or `data` (CloudEvents). */
  readonly data: () => JsonObject;
  readonly pushedAt: () => string;
  /** CloudEvents `id`; the Default format has none. */
  readonly id?: string;
}

/**
 * Harbor, Default (`type: PUSH_ARTIFACT`) and CloudEvents (`type: harbor.artifact.pushed`) formats.
 * Harbor sends its configured Auth Header verbatim as `Authorization`, so the user sets it to
 * `Bearer <secret>`. A resource pushed by digest carries the digest in `tag`.
 */
export const harborDialect: RegistryDialect = {
  source: 'harbor',
  authenticate: bearerAuth,
  parse(delivery) {
    const body = JsonObject.parse(delivery.body);
    const envelope = body.has('specversion') ? cloudEvent(body, delivery) : defaultFormat(body, delivery);
    if (envelope.type !== envelope.pushType) {
      const out = new DeliveryCollector('harbor', false);
      out.ignore(`Harbor event ${clip(envelope.type)} is not an artifact push`, envelope.id);
      return out.result();
    }
    const data = envelope.data();
    const repository = data.object('repository');
    const repositoryName = repositoryAt(repository.text('repo_full_name'), repository.pathOf('repo_full_name'));
    const resources = data.array('resources');
    const pushedAt = envelope.pushedAt();
    const out = new DeliveryCollector('harbor', resources.length > 1);
    for (let i = 0; i < resources.length; i++) {
      // One CloudEvent with several resources: each gets its own id, so they dedupe independently.
      const id = envelope.id !== undefined && resources.length > 1 ? `${envelope.id}#${i}` : envelope.id;
      out.each(() => {
        const resource = resources.objectAt(i);
        const tag = resource.optionalString('tag') ?? '';
        const digest = resource.optionalString('digest');
        if (tag === '' || looksLikeDigest(tag)) return out.ignore(`push by digest: ${repositoryName}@${clip(digest ?? tag)}`, id);
        const url = resource.text('resource_url');
        out.push({
          host: hostAt(hostPrefix(url), resource.pathOf('resource_url')),
          repository: repositoryName,
          tag: tagAt(tag, resource.pathOf('tag')),
          digest: digest ? digestAt(digest, resource.pathOf('digest')) : undefined,
          pushedAt,
          deliveryId: id,
        });
      });
    }
    return out.result();
  },
};

function defaultFormat(body: JsonObject, delivery: WebhookDelivery): HarborEnvelope {
  return {
    type: body.text('type'),
    pushType: 'PUSH_ARTIFACT',
    data: () => body.object('event_data'),
    pushedAt: () => {
      const occurAt = body.optionalNumber('occur_at');
      return occurAt !== undefined ? epochSecondsAt(occurAt, body.pathOf('occur_at')) : delivery.receivedAt.toISOString();
    },
  };
}

function cloudEvent(body: JsonObject, delivery: WebhookDelivery): HarborEnvelope {
  return {
    type: body.text('type'),
    pushType: 'harbor.artifact.pushed',
    data: () => body.object('data'),
    pushedAt: () => {
      const time = body.optionalString('time');
      return time !== undefined ? rfc3339At(time, body.pathOf('time')) : delivery.receivedAt.toISOString();
    },
    id: body.text('id'),
  };
}
