/**
 * Registry push triggers (issue 6): receivers authenticate one registry's webhooks, triggers say which
 * pushes deploy which app. Shapes shared by gateway (webhook ingress, routes), builder (records pushes,
 * owns receivers and trigger definitions, matches), releaser (trigger outcomes, registry releases) and
 * the CLI.
 */

/** The registries whose webhook dialects a receiver speaks (`receivers add --source`). */
export const REGISTRY_SOURCES = ['distribution', 'dockerhub', 'ghcr', 'harbor', 'quay', 'ecr', 'gar', 'acr', 'jfrog'] as const;
export type RegistrySource = (typeof REGISTRY_SOURCES)[number];

/**
 * One push of a tag, as every source is normalised to (and as `<ns>.cmd.builder.record-push` accepts
 * it from any publisher). `host` as `docker pull` would use it (`docker.io` for Docker Hub, never
 * `index.docker.io`), `repository` lower-case without the host (`library/nginx`), `digest` when the
 * delivery names one (`sha256:<64 hex>`), `pushedAt` ISO-8601, `source` a registry source or any
 * publisher's name (`[a-z0-9-]`, e.g. `ci`), `deliveryId` the sender's id for this event when it has one.
 */
export interface NormalizedPush {
  host: string;
  repository: string;
  tag: string;
  digest?: string;
  pushedAt: string;
  source: string;
  deliveryId?: string;
}

/** An authenticated delivery item that is not a push to deploy from, and why (recorded, answered 2xx). */
export interface IgnoredDeliveryItem {
  reason: string;
  deliveryId?: string;
}

/**
 * `receivers` (builder): a receiver for `source`; its secret is never in an event. `host` (and
 * `repositoryPrefix`) say which pushes it may report (`receiver-binding.ts`); receivers added before
 * they were recorded have no `host`.
 */
export interface ReceiverAddedData {
  receiverId: string;
  source: RegistrySource;
  host?: string;
  repositoryPrefix?: string;
}
export interface ReceiverRemovedData {
  receiverId: string;
}

/** `exact:TAG`, `semver:RANGE` or `glob:PATTERN`, as typed. */
export type TagPolicyText = string;

/** `triggers` (builder): pushes of `host/repository` whose tag `tagPolicy` accepts deploy `app`. */
export interface TriggerAddedData {
  triggerId: string;
  app: string;
  /** `host/repository`, normalised like a push's. */
  image: string;
  host: string;
  repository: string;
  tagPolicy: TagPolicyText;
}
export interface TriggerRemovedData {
  triggerId: string;
  app: string;
}

/** `registry-<host>/<repository>` (builder): a push, whether or not a trigger matches. */
export interface ImagePushedData extends NormalizedPush {
  /** The receiver it came through; absent for NATS publishers. */
  receiverId?: string;
  /** What it is deduplicated on: the delivery id, else `host/repository:tag@digest` (or `…@pushedAt`). */
  dedupeKey: string;
}

/**
 * `registry-<host>/<repository>` (builder), after an `ImagePushed`: what came of it for every trigger
 * that follows the image (or that follows the same repository on another host), or `no trigger matches`.
 */
export interface PushEvaluatedData {
  pushEventId: string;
  host: string;
  repository: string;
  tag: string;
  outcomes: PushOutcome[];
  /** Set when no trigger follows this image at all. */
  reason?: string;
}
export interface PushOutcome {
  triggerId: string;
  app: string;
  result: 'deployed' | 'skipped';
  reason?: string;
  releaseId?: string;
  version?: number;
}

/** `receiver-<id>` (builder): an authenticated delivery item that was not a push to deploy from. */
export interface RegistryDeliveryIgnoredData {
  receiverId: string;
  source: RegistrySource;
  reason: string;
  deliveryId?: string;
}

/** `trigger-<id>` (releaser): a push this trigger followed became release `version`. */
export interface TriggerFiredData {
  triggerId: string;
  app: string;
  pushEventId: string;
  host: string;
  repository: string;
  tag: string;
  digest: string;
  pushedAt: string;
  releaseId: string;
  version: number;
  /** The queued release of an older push this one superseded (cancelled). */
  superseded?: { releaseId: string; version: number };
}

/** `trigger-<id>` (releaser): a push this trigger followed did not deploy, and why. */
export interface TriggerSkippedData {
  triggerId: string;
  app: string;
  pushEventId: string;
  host: string;
  repository: string;
  tag: string;
  digest?: string;
  pushedAt: string;
  reason: string;
}

export const RegistryEventTypes = {
  ReceiverAdded: 'ReceiverAdded',
  ReceiverRemoved: 'ReceiverRemoved',
  TriggerAdded: 'TriggerAdded',
  TriggerRemoved: 'TriggerRemoved',
  ImagePushed: 'ImagePushed',
  PushEvaluated: 'PushEvaluated',
  RegistryDeliveryIgnored: 'RegistryDeliveryIgnored',
  TriggerFired: 'TriggerFired',
  TriggerSkipped: 'TriggerSkipped',
} as const;

/** What builder asks releaser for one trigger and one push (`registry-release`). */
/** `<ns>.cmd.releaser.registry-release` (admin; builder only). */
export interface RegistryReleaseRequest {
  triggerId: string;
  app: string;
  tagPolicy: string;
  pushEventId: string;
  host: string;
  repository: string;
  tag: string;
  /** The digest to deploy: the push's, or the tag's as builder resolved it. */
  digest?: string;
  pushedAt: string;
  source: string;
  actor: string;
  /** Builder already knows the push does not deploy: releaser records this reason. */
  skip?: string;
}

/** A receiver as listed (never with its secret); `host` absent for one added before hosts were recorded. */
export interface ReceiverView {
  id: string;
  source: RegistrySource;
  host?: string;
  repositoryPrefix?: string;
  createdAt: string;
  createdBy: string;
}

/** A trigger as listed. */
export interface TriggerView {
  id: string;
  app: string;
  image: string;
  tagPolicy: TagPolicyText;
  createdAt: string;
  createdBy: string;
}

/** One line of `triggers log`: a push a trigger followed (deployed or skipped, and why), newest first. */
export interface TriggerLogEntry {
  at: string;
  triggerId: string;
  app: string;
  image: string;
  tag: string;
  digest?: string;
  pushedAt: string;
  result: 'deployed' | 'skipped';
  reason?: string;
  releaseId?: string;
  version?: number;
}

/** One push as `triggers log` without an app shows it: every push recorded, with what came of it. */
export interface PushLogEntry {
  at: string;
  pushEventId: string;
  host: string;
  repository: string;
  tag: string;
  digest?: string;
  pushedAt: string;
  source: string;
  receiverId?: string;
  /** Absent while the push is still being evaluated. */
  evaluation?: { outcomes: PushOutcome[]; reason?: string };
}

/** What `record-push` / `record-delivery` answer per push. */
export interface RecordedPush {
  /** `recorded`: a new `ImagePushed`; `duplicate`: already recorded (nothing written). */
  status: 'recorded' | 'duplicate';
  pushEventId: string;
  host: string;
  repository: string;
  tag: string;
}
