import { DeliveryCollector } from '../delivery-collector';
import { clip, digestAt, DIGEST_PATTERN, repositoryAt, tagAt } from '../image-name';
import { JsonObject } from '../json-fields';
import { isZeroTime, rfc3339At } from '../timestamps';
import { hubSignatureAuth } from '../webhook-auth';
import { WebhookPayloadError, type RegistryDialect, type WebhookDelivery } from '../webhook-delivery';

const PACKAGE_EVENTS = new Set(['package', 'registry_package']);
const RELEVANT_ACTIONS = new Set(['published', 'updated']);

/**
 * GitHub Packages / GHCR: `package` (and the older `registry_package`) webhooks, signed with
 * `X-Hub-Signature-256`. GitHub sends one `published` event per manifest of a multi-arch push; only the
 * tagged one (the index) is a push to deploy.
 */
export const ghcrDialect: RegistryDialect = {
  source: 'ghcr',
  authenticate: hubSignatureAuth,
  parse(delivery) {
    const body = JsonObject.parse(delivery.body);
    const deliveryId = delivery.headers['x-github-delivery'] || undefined;
    const event = eventName(delivery, body);
    const out = new DeliveryCollector('ghcr', false);
    if (event === 'ping') out.ignore('ping: the webhook works; a ping deploys nothing', deliveryId);
    else if (!PACKAGE_EVENTS.has(event)) out.ignore(`GitHub event ${clip(event)} is not a package event`, deliveryId);
    else parsePackage(body.object(event), body, delivery, out, deliveryId);
    return out.result();
  },
};

/** `X-GitHub-Event`; without it (a relay that drops headers) the payload's own key says which event. */
function eventName(delivery: WebhookDelivery, body: JsonObject): string {
  const header = delivery.headers['x-github-event'];
  if (header) return header;
  const inferred = [...PACKAGE_EVENTS].find((key) => body.has(key)) ?? (body.has('zen') && body.has('hook_id') ? 'ping' : undefined);
  if (inferred === undefined) {
    throw new WebhookPayloadError('headers.x-github-event', 'X-GitHub-Event header is missing and the body is not a package or ping event');
  }
  return inferred;
}

function parsePackage(pkg: JsonObject, body: JsonObject, delivery: WebhookDelivery, out: DeliveryCollector, deliveryId: string | undefined): void {
  const action = body.text('action');
  if (!RELEVANT_ACTIONS.has(action)) return out.ignore(`package action ${clip(action)} is not a publish`, deliveryId);
  const packageType = pkg.text('package_type');
  if (packageType.toLowerCase() === 'docker') {
    return out.ignore('package_type docker is the retired docker.pkg.github.com registry, not ghcr.io', deliveryId);
  }
  if (packageType.toLowerCase() !== 'container') return out.ignore(`package_type ${clip(packageType)} is not a container image`, deliveryId);
  const version = pkg.object('package_version');
  const tagObject = version.object('container_metadata').object('tag');
  const tag = tagObject.optionalString('name') ?? '';
  if (tag === '') return out.ignore('untagged manifest (per-platform of a multi-arch push)', deliveryId);
  out.push({
    host: 'ghcr.io',
    repository: `${owner(pkg)}/${repositoryAt(pkg.text('name'), pkg.pathOf('name'))}`,
    tag: tagAt(tag, tagObject.pathOf('name')),
    digest: digest(tagObject, version),
    pushedAt: pushedAt(version, pkg, delivery),
    deliveryId,
  });
}

/** The namespace (else the owner's login), lower-cased: GitHub owners may have upper case, OCI names may not. */
function owner(pkg: JsonObject): string {
  const namespace = pkg.optionalString('namespace');
  if (namespace) return repositoryAt(namespace, pkg.pathOf('namespace'));
  const login = pkg.object('owner');
  return repositoryAt(login.text('login'), login.pathOf('login'));
}

function digest(tagObject: JsonObject, version: JsonObject): string | undefined {
  const tagDigest = tagObject.optionalString('digest');
  if (tagDigest) return digestAt(tagDigest, tagObject.pathOf('digest'));
  // For containers the version name is the manifest digest; anything else there is not one.
  const name = version.optionalString('name')?.toLowerCase();
  return name !== undefined && DIGEST_PATTERN.test(name) ? name : undefined;
}

/** `created_at` of the version, else `updated_at`, skipping GitHub's `0001-01-01` placeholder. */
function pushedAt(version: JsonObject, pkg: JsonObject, delivery: WebhookDelivery): string {
  for (const [object, key] of [
    [version, 'created_at'],
    [version, 'updated_at'],
    [pkg, 'updated_at'],
  ] as const) {
    const value = object.optionalString(key);
    if (value && !isZeroTime(value)) return rfc3339At(value, object.pathOf(key));
  }
  return delivery.receivedAt.toISOString();
}
