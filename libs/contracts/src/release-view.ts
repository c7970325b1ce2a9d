import type { ReleaseStatus, ReleaseTrigger } from './events';

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
}
