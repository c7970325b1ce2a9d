import { DeliveryCollector } from '../delivery-collector';
import { repositoryAt, tagAt } from '../image-name';
import { JsonObject } from '../json-fields';
import { epochSecondsAt } from '../timestamps';
import { queryTokenAuth } from '../webhook-auth';
import type { RegistryDialect } from '../webhook-delivery';

/**
 * Docker Hub: every delivery is one push of one tag, with no digest (builder resolves it) and no
 * delivery id. Docker Hub can send no secret, so the receiver URL carries it as `?token=`.
 */
export const dockerhubDialect: RegistryDialect = {
  source: 'dockerhub',
  authenticate: queryTokenAuth,
  parse(delivery) {
    const body = JsonObject.parse(delivery.body);
    const repository = body.object('repository');
    const pushData = body.object('push_data');
    const name = repository.text('repo_name');
    const pushedAt = pushData.optionalNumber('pushed_at');
    const out = new DeliveryCollector('dockerhub', false);
    out.push({
      host: 'docker.io',
      // `docker pull nginx` means `library/nginx`; official images may be named without the namespace.
      repository: repositoryAt(name.includes('/') ? name : `library/${name}`, repository.pathOf('repo_name')),
      tag: tagAt(pushData.text('tag'), pushData.pathOf('tag')),
      pushedAt: pushedAt !== undefined ? epochSecondsAt(pushedAt, pushData.pathOf('pushed_at')) : delivery.receivedAt.toISOString(),
    });
    return out.result();
  },
};
