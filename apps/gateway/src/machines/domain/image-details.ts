import type { MachineView, ReleaseSummary } from '@hangar/contracts';

/** One machine's line of `image show` (flyctl's `fly image show`, plus the release that put the image there). */
export interface MachineImage {
  machineId: string;
  processGroup: string;
  region: string;
  state: string;
  managed: boolean;
  /** As the machine's config names it (a deploy pins `host/repo:tag@sha256:…`). */
  image: string;
  registry?: string;
  repository?: string;
  tag?: string;
  /** The Machines API's digest, else the one the release resolved; absent when neither knows it. */
  digest?: string;
  /** `img_…` of the release's resolved image. */
  imageId?: string;
  release?: { id: string; version: number };
}

/**
 * Joins each machine with the release its metadata names: the image it runs, where it comes from,
 * its digest, and which release (and resolved image id) put it there. Unmanaged machines (`machine
 * run`) have no release; their digest is what the Machines API reports, if anything.
 */
export function imageDetails(machines: readonly MachineView[], releases: readonly ReleaseSummary[]): MachineImage[] {
  const byVersion = new Map(releases.map((r) => [r.version, r]));
  return machines.map((m) => {
    const release = m.releaseVersion === undefined ? undefined : byVersion.get(m.releaseVersion);
    const digest = nonEmpty(m.imageRef?.digest) ?? digestOf(m.image) ?? (release ? digestOf(release.image) : undefined);
    return {
      machineId: m.id,
      processGroup: m.processGroup,
      region: m.region,
      state: m.state,
      managed: m.managed,
      image: m.image,
      ...(m.imageRef ? { registry: m.imageRef.registry, repository: m.imageRef.repository, ...(m.imageRef.tag ? { tag: m.imageRef.tag } : {}) } : {}),
      ...(digest ? { digest } : {}),
      ...(release?.imageId ? { imageId: release.imageId } : {}),
      ...(m.releaseVersion !== undefined ? { release: { id: release?.id ?? m.releaseId ?? '', version: m.releaseVersion } } : {}),
    };
  });
}

/** `…@sha256:…` → `sha256:…`. */
function digestOf(ref: string): string | undefined {
  const at = ref.lastIndexOf('@');
  return at === -1 ? undefined : nonEmpty(ref.slice(at + 1));
}

function nonEmpty(s: string | undefined): string | undefined {
  return s ? s : undefined;
}
