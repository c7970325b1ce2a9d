import { DeliveryCollector } from '../delivery-collector';
import { clip, digestAt, hostAt, hostOfUrl, looksLikeDigest, quote, repositoryAt, tagAt } from '../image-name';
import { JsonObject } from '../json-fields';
import { jfrogEventAuth } from '../webhook-auth';
import { WebhookPayloadError, type RegistryDialect } from '../webhook-delivery';

/**
 * JFrog Artifactory predefined webhooks, domain `docker`, event `pushed` (a `list.manifest.json` is the
 * tagged index of a multi-arch push; a `manifest.json` a single image). No push time and no delivery
 * id in the payload. Authenticated by `X-JFrog-Event-Auth` (HMAC of the body, or the secret itself).
 * The repository is `<repo_key>/<image_name>`, the path `docker pull` uses with repository-path access.
 */
export const jfrogDialect: RegistryDialect = {
  source: 'jfrog',
  authenticate: jfrogEventAuth,
  parse(delivery) {
    const body = JsonObject.parse(delivery.body);
    const out = new DeliveryCollector('jfrog', false);
    const domain = body.text('domain');
    const eventType = body.text('event_type');
    if (domain !== 'docker') {
      out.ignore(`JFrog ${clip(domain)} ${clip(eventType)} event is not a docker push`);
      return out.result();
    }
    const data = body.object('data');
    const imageName = data.text('image_name');
    const tag = data.optionalString('tag') ?? '';
    if (eventType !== 'pushed') {
      out.ignore(`docker ${clip(eventType)} of ${clip(imageName)}${tag ? `:${clip(tag)}` : ''}, not a push`);
      return out.result();
    }
    // Inferred, not documented: a per-platform manifest stored under its digest has the digest as tag.
    if (tag === '' || looksLikeDigest(tag)) {
      out.ignore(`untagged manifest push (by digest or per-platform): ${clip(imageName)}`);
      return out.result();
    }
    const sha256 = data.text('sha256');
    // Artifactory's repository-path access (`docker pull host/<repo_key>/<image>:<tag>`), its default:
    // the repository key is the first path component of what users pull and triggers follow.
    const repoKey = data.text('repo_key');
    out.push({
      host: originHost(body),
      repository: repositoryAt(`${repoKey}/${imageName}`, data.pathOf('image_name')),
      tag: tagAt(tag, data.pathOf('tag')),
      // The payload has the bare hex; tolerate a prefix in case a version adds one.
      digest: digestAt(sha256.startsWith('sha256:') ? sha256 : `sha256:${sha256}`, data.pathOf('sha256')),
      pushedAt: delivery.receivedAt.toISOString(),
    });
    return out.result();
  },
};

function originHost(body: JsonObject): string {
  const origin = body.text('jpd_origin');
  const path = body.pathOf('jpd_origin');
  const host = hostOfUrl(origin.includes('://') ? origin : `https://${origin}`);
  if (host === undefined) throw new WebhookPayloadError(path, `${path} ${quote(origin)} is not a URL`);
  return hostAt(host, path);
}
