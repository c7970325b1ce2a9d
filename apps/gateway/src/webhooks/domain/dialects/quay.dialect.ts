import { DeliveryCollector } from '../delivery-collector';
import { hostAt, hostPrefix, repositoryAt, tagAt } from '../image-name';
import { childPath, JsonArray, JsonObject } from '../json-fields';
import { queryTokenAuth } from '../webhook-auth';
import type { RegistryDialect } from '../webhook-delivery';

/**
 * Other Quay notification kinds, told apart by a key only they have, for when a user points several
 * notifications of a repository at the same receiver.
 */
const OTHER_NOTIFICATIONS: ReadonlyArray<readonly [key: string, what: string]> = [
  ['build_id', 'Quay build notification'],
  ['vulnerability', 'Quay vulnerability notification'],
  ['expiring_in', 'Quay image expiry notification'],
];

/**
 * Quay "Push to Repository" notifications (Webhook POST): one push per entry of `updated_tags` (a list,
 * or an object keyed by tag in old quay.io payloads), no digest, no push time, no delivery id. Quay can
 * send no secret, so the receiver URL carries it as `?token=`. A custom body template that drops
 * `repository` or `updated_tags` is a 400, since nothing could be deployed from it.
 */
export const quayDialect: RegistryDialect = {
  source: 'quay',
  authenticate: queryTokenAuth,
  parse(delivery) {
    const body = JsonObject.parse(delivery.body);
    if (!body.has('updated_tags')) {
      const other = OTHER_NOTIFICATIONS.find(([key]) => body.has(key));
      if (other) {
        const out = new DeliveryCollector('quay', false);
        out.ignore(`${other[1]}, not a push`);
        return out.result();
      }
    }
    const repository = repositoryAt(body.text('repository'), body.pathOf('repository'));
    const tags = updatedTags(body);
    const host = hostAt(hostPrefix(body.text('docker_url')), body.pathOf('docker_url'));
    const pushedAt = delivery.receivedAt.toISOString();
    const out = new DeliveryCollector('quay', tags.length > 1);
    if (tags.length === 0) out.ignore(`push to ${repository} updated no tags`);
    for (const { read, path } of tags) out.each(() => out.push({ host, repository, tag: tagAt(read(), path), pushedAt }));
    return out.result();
  },
};

/** Each tag with the path of the JSON value it came from (`updated_tags[1]`, `updated_tags.latest`). */
function updatedTags(body: JsonObject): { read: () => string; path: string }[] {
  const value = body.raw('updated_tags');
  const path = body.pathOf('updated_tags');
  if (Array.isArray(value)) {
    const tags = JsonArray.of(value, path);
    return tags.items.map((_, i) => ({ read: () => tags.stringAt(i), path: tags.pathAt(i) }));
  }
  const object = body.object('updated_tags');
  return Object.keys(value as object).map((tag) => ({ read: () => tag, path: childPath(object.path, tag) }));
}
