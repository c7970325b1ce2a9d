/**
 * What a push must prove before it deploys (issue 12 point 7, review H4). Pure: the caller resolves
 * the tag through the registry and reads the clock.
 */

/**
 * Clock skew tolerated between a push's reported time and ours, in ms (5 s): a registry whose
 * clock runs a little ahead keeps its own times; anything later is clamped to the receipt time.
 */
export const PUSHED_AT_SKEW_MS = 5_000;

/**
 * The `pushedAt` to record for a push reported at `reported` and received at `receivedAt`: the
 * reported time, unless it is more than `PUSHED_AT_SKEW_MS` in the future, then the receipt time. A
 * push dated 2099 would otherwise make every real push of its tag "out of order" forever.
 */
export function clampPushedAt(reported: Date, receivedAt: Date): Date {
  return reported.getTime() > receivedAt.getTime() + PUSHED_AT_SKEW_MS ? receivedAt : reported;
}

/** The digest the registry names for `host/repository:tag` now, or why it could not be resolved. */
export type TagResolution = { readonly digest: string } | { readonly failure: string };

/**
 * The digest a push may deploy, or why it must be skipped: a push that names a digest deploys only
 * when the registry confirms the tag points to it (a reporter could otherwise deploy any old build
 * under a made-up tag); a push without one deploys the digest the registry resolves.
 */
export function authorizedDigest(
  push: { readonly host: string; readonly repository: string; readonly tag: string; readonly digest?: string },
  resolution: TagResolution,
): { readonly digest: string } | { readonly skip: string } {
  const ref = `${push.host}/${push.repository}:${push.tag}`;
  if ('failure' in resolution) {
    const what = push.digest ? `digest unverified: resolving ${ref} to check ${push.digest}` : `digest unknown: the push named none and resolving ${ref}`;
    return { skip: `${what} failed: ${resolution.failure}` };
  }
  if (push.digest && push.digest !== resolution.digest) {
    return { skip: `digest does not match tag: ${push.tag} is ${resolution.digest} at the registry, the push said ${push.digest}` };
  }
  return { digest: resolution.digest };
}
