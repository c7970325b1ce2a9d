import type { RegistrySource } from './registry';
import { canonicalImageName, DOCKER_HUB_HOST, REGISTRY_HOST_PATTERN, REPOSITORY_NAME_PATTERN } from './repository-target';

/**
 * Which pushes a receiver may report (review H4): those of its registry host and, when it has one,
 * of repositories under its prefix. A receiver's secret is a credential for that registry only.
 */

/** The code a delivery naming a push outside its receiver is refused with (HTTP 403; nothing is recorded). */
export const RECEIVER_FORBIDDEN = 'WEBHOOK.FORBIDDEN';

/** Sources whose registry has one host: their receivers are for it, whatever they were created with. */
export const FIXED_SOURCE_HOSTS: Readonly<Partial<Record<RegistrySource, string>>> = { dockerhub: DOCKER_HUB_HOST, ghcr: 'ghcr.io' };

/** A receiver as the binding checks read it; `host` absent on receivers added before hosts were recorded. */
export interface ReceiverBinding {
  readonly receiverId: string;
  readonly source: RegistrySource;
  readonly host?: string;
  readonly repositoryPrefix?: string;
}

/**
 * `host` and `repositoryPrefix` to record for a new receiver of `source`, or the problem with them
 * (naming the field): a fixed-host source implies its host (another one is refused), every other
 * source needs one; a prefix is optional (`acme` covers `acme` and `acme/…`).
 */
export function receiverBindingOf(
  source: RegistrySource,
  host: unknown,
  repositoryPrefix: unknown,
): { binding: { host: string; repositoryPrefix?: string } } | { path: 'host' | 'repositoryPrefix'; problem: string } {
  const fixed = FIXED_SOURCE_HOSTS[source];
  if (host !== undefined && (typeof host !== 'string' || !REGISTRY_HOST_PATTERN.test(host))) {
    return { path: 'host', problem: `host must be the registry's lower-case host[:port] as docker pull uses it, such as registry.example.com:5000; got ${JSON.stringify(host)}` };
  }
  if (fixed !== undefined && host !== undefined && canonicalImageName(host, '').host !== fixed) {
    return { path: 'host', problem: `host of a ${source} receiver is ${fixed}; got "${host}"` };
  }
  const chosen = fixed ?? (host === undefined ? undefined : canonicalImageName(host, '').host);
  if (chosen === undefined) return { path: 'host', problem: `host is required for a ${source} receiver: the registry host its webhooks report pushes for, such as registry.example.com` };
  if (repositoryPrefix !== undefined && (typeof repositoryPrefix !== 'string' || repositoryPrefix.length > 255 || !REPOSITORY_NAME_PATTERN.test(repositoryPrefix))) {
    return { path: 'repositoryPrefix', problem: `repositoryPrefix must be a lower-case repository path such as acme or acme/team; got ${JSON.stringify(repositoryPrefix)}` };
  }
  return { binding: { host: chosen, ...(repositoryPrefix !== undefined ? { repositoryPrefix } : {}) } };
}

/** The host a receiver's pushes must name: the recorded one, else its source's fixed one; `undefined` when neither is known. */
export function receiverHost(receiver: Pick<ReceiverBinding, 'source' | 'host'>): string | undefined {
  return receiver.host ?? FIXED_SOURCE_HOSTS[receiver.source];
}

/**
 * Why `receiver` may not report a push of `host/repository` (normalised as builder records it), naming
 * the host; `undefined` when it may. A receiver of a self-hosted source added before hosts were
 * recorded may report nothing: which registry its secret belongs to is unknown.
 */
export function receiverPushProblem(receiver: ReceiverBinding, host: string, repository: string): string | undefined {
  const expected = receiverHost(receiver);
  if (expected === undefined) {
    return `receiver ${receiver.receiverId} (${receiver.source}) has no registry host recorded, so it reports no pushes: add a receiver with its host (receivers add --source ${receiver.source} --host <host>) and remove this one`;
  }
  const name = canonicalImageName(host, repository);
  if (name.host !== expected) return `receiver ${receiver.receiverId} is for registry host ${expected}; the delivery names a push to host ${name.host}`;
  const prefix = receiver.repositoryPrefix;
  if (prefix !== undefined && name.repository !== prefix && !name.repository.startsWith(`${prefix}/`)) {
    return `receiver ${receiver.receiverId} is for repositories under ${expected}/${prefix}; the delivery names a push to ${name.host}/${name.repository}`;
  }
  return undefined;
}
