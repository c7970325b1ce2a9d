import picomatch from 'picomatch';
import semver from 'semver';
import { ErrorCodes, HangarError } from '@hangar/contracts';

/** Which tags of an image a trigger deploys (`triggers add --tag-policy`). */
export type TagPolicy =
  | { readonly kind: 'exact'; readonly text: string; readonly tag: string }
  | { readonly kind: 'semver'; readonly text: string; readonly range: string }
  | { readonly kind: 'glob'; readonly text: string; readonly pattern: string };

export type TagVerdict = { readonly accepts: true } | { readonly accepts: false; readonly reason: string };

const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const POLICY_HELP = 'tagPolicy must be exact:TAG, semver:RANGE or glob:PATTERN (e.g. exact:latest, semver:^1.2, glob:release-*)';

/** Parses `exact:TAG`, `semver:RANGE` or `glob:PATTERN`; `REQUEST.INVALID` naming `tagPolicy` otherwise. */
export function parseTagPolicy(text: unknown): TagPolicy {
  const invalid = (message: string) => new HangarError(ErrorCodes.VALIDATION, message, [{ path: 'tagPolicy', message }]);
  if (typeof text !== 'string' || text.length === 0) throw invalid(POLICY_HELP);
  if (text.length > 200) throw invalid('tagPolicy must be at most 200 characters');
  const colon = text.indexOf(':');
  const kind = colon < 0 ? '' : text.slice(0, colon);
  const value = colon < 0 ? '' : text.slice(colon + 1);
  switch (kind) {
    case 'exact':
      if (!TAG_PATTERN.test(value)) throw invalid(`tagPolicy exact:${value}: '${value}' is not a tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})`);
      return { kind, text, tag: value };
    case 'semver':
      if (semver.validRange(value) === null || value.trim() === '') throw invalid(`tagPolicy semver:${value}: '${value}' is not a semver range (e.g. ^1.2, ~2.0.1, >=1.0.0 <2)`);
      return { kind, text, range: value };
    case 'glob':
      if (value === '' || /[/\s]/.test(value)) throw invalid(`tagPolicy glob:${value}: the pattern must be non-empty, without '/' or spaces`);
      return { kind, text, pattern: value };
    default:
      throw invalid(`${POLICY_HELP}; got '${text}'`);
  }
}

/** The semantic version a tag names (`1.2.3`, `v1.2.3`), or undefined. */
export function tagVersion(tag: string): string | undefined {
  return semver.valid(tag.startsWith('v') || tag.startsWith('V') ? tag.slice(1) : tag) ?? undefined;
}

/** Whether `policy` deploys a push of `tag`; when not, the reason users read in `triggers log`. */
export function tagVerdict(policy: TagPolicy, tag: string): TagVerdict {
  const rejects = (why?: string): TagVerdict => ({ accepts: false, reason: `tag policy ${policy.text} rejects ${tag}${why ? ` (${why})` : ''}` });
  switch (policy.kind) {
    case 'exact':
      return tag === policy.tag ? { accepts: true } : rejects();
    case 'semver': {
      const version = tagVersion(tag);
      if (!version) return rejects('not a semantic version');
      return semver.satisfies(version, policy.range) ? { accepts: true } : rejects();
    }
    case 'glob':
      return picomatch.isMatch(tag, policy.pattern, { dot: true }) ? { accepts: true } : rejects();
    default: {
      const never: never = policy;
      return never;
    }
  }
}

/**
 * For a semver policy: why `tag` must not replace `deployedTag` (it names the same or an older
 * version), or undefined. Other policies follow whatever was pushed last.
 */
export function notNewerReason(policy: TagPolicy, tag: string, deployedTag: string | undefined): string | undefined {
  if (policy.kind !== 'semver' || deployedTag === undefined) return undefined;
  const version = tagVersion(tag);
  const deployed = tagVersion(deployedTag);
  if (!version || !deployed || semver.gt(version, deployed)) return undefined;
  return `tag policy ${policy.text}: ${tag} is not newer than ${deployedTag}, which this trigger already deployed`;
}
