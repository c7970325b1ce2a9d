import { imageIdFromDigest } from './domain/image-id';
import type { RegistryCredentials, ResolvedManifest, ResolveOptions } from './registry.client';

/** The port `ImageResolver` needs from a registry; `RegistryClient` is the production one. */
export interface ManifestDigestSource {
  resolve(ref: string, options?: ResolveOptions): Promise<ResolvedManifest>;
}

export interface ImageResolverOptions {
  /** Credentials keyed by registry as written in references (`ghcr.io`, `docker.io`). */
  readonly credentials?: Readonly<Record<string, RegistryCredentials>>;
  /** Deadline for one resolve, in ms; the registry client's default when omitted. */
  readonly timeoutMs?: number;
}

/** What `ImageResolved` records (DESIGN §5 step 2). */
export interface ResolvedImage {
  /** As requested. */
  readonly ref: string;
  /** `host/repository:tag` (or `@digest` when pinned). */
  readonly canonicalRef: string;
  readonly digest: string;
  /** `img_` + 16 chars derived from `digest`. */
  readonly imageId: string;
}

/**
 * Resolves a release's image reference to its digest and `img_` id. Plain constructor injection, so a
 * Nest module provides it with `useFactory: (registry) => new ImageResolver(registry, config.images)`.
 * Failures are the registry client's `IMAGE.*` `HangarError`s, whose message is the release's reason.
 */
export class ImageResolver {
  constructor(
    private readonly registry: ManifestDigestSource,
    private readonly options: ImageResolverOptions = {},
  ) {}

  async resolve(ref: string): Promise<ResolvedImage> {
    const { digest, canonicalRef } = await this.registry.resolve(ref, this.options);
    return { ref, canonicalRef, digest, imageId: imageIdFromDigest(digest) };
  }
}
