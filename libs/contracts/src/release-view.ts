import type { ReleaseStatus, ReleaseTrigger } from './events';

/** `deploy --image-label`: a Docker tag (distribution spec: `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`). */
export const IMAGE_LABEL_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** One release as `releases --json` shows it (DESIGN §7.1). */
export interface ReleaseSummary {
  id: string;
  app: string;
  version: number;
  status: ReleaseStatus;
  trigger: ReleaseTrigger;
  actor: string;
  /** The image as resolved (`host/repo:tag@sha256:…`) once known, else the requested reference. */
  image: string;
  imageId?: string;
  strategy: string;
  createdAt: string;
  finishedAt?: string;
  reason?: string;
  machines?: { total: number; succeeded: number; failed: number };
  /** What the deploy was asked beyond fly.toml and the strategy settings, named as the request names it; absent when nothing. */
  options?: ReleaseOptions;
  /** A deploy filter applied: `selected` of the app's `total` managed machines were in the release (flyctl's `N/M machines`). */
  filters?: { applied: string[]; selected: number; total: number; unknownMachines?: string[] };
}

/** `deploy`'s flags as recorded in the release (`ReleaseQueued`); each present only when given. */
export interface ReleaseOptions {
  /** `-e/--env NAME=VALUE`: the overrides of `[env]`, by name (they are in the release's config too). */
  env?: Record<string, string>;
  /** `--image-label`: recorded only; Hangar builds and pushes no image to tag. */
  imageLabel?: string;
  /** `--skip-release-command`, and every rollback and secrets release. */
  skipReleaseCommand?: boolean;
  updateOnly?: boolean;
  ha?: boolean;
  leaseTimeoutMs?: number;
  onlyRegions?: string[];
  excludeRegions?: string[];
  onlyMachines?: string[];
  excludeMachines?: string[];
  processGroups?: string[];
}
