import { HangarError } from '@hangar/contracts';
import { notNewerReason, parseTagPolicy, tagVerdict, tagVersion } from './tag-policy';

describe(parseTagPolicy.name, () => {
  it('parses the three kinds', () => {
    expect(parseTagPolicy('exact:latest')).toEqual({ kind: 'exact', text: 'exact:latest', tag: 'latest' });
    expect(parseTagPolicy('semver:^1.2')).toEqual({ kind: 'semver', text: 'semver:^1.2', range: '^1.2' });
    expect(parseTagPolicy('glob:release-*')).toEqual({ kind: 'glob', text: 'glob:release-*', pattern: 'release-*' });
  });

  it.each([
    ['', /exact:TAG, semver:RANGE or glob:PATTERN/],
    ['latest', /got 'latest'/],
    ['regex:.*', /got 'regex:\.\*'/],
    ['exact:', /'' is not a tag/],
    ['exact:bad tag', /is not a tag/],
    ['semver:banana', /'banana' is not a semver range/],
    ['glob:', /must be non-empty/],
    ['glob:a/b', /without '\/'/],
  ])('refuses %j naming tagPolicy', (text, message) => {
    let error: unknown;
    try {
      parseTagPolicy(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HangarError);
    expect((error as HangarError).message).toMatch(message);
    expect((error as HangarError).details).toEqual([expect.objectContaining({ path: 'tagPolicy' })]);
  });
});

describe(tagVerdict.name, () => {
  it('exact accepts only that tag', () => {
    expect(tagVerdict(parseTagPolicy('exact:latest'), 'latest')).toEqual({ accepts: true });
    expect(tagVerdict(parseTagPolicy('exact:latest'), 'main')).toEqual({ accepts: false, reason: 'tag policy exact:latest rejects main' });
  });

  it('semver accepts versions in range, with or without a v, and says why it rejects', () => {
    const policy = parseTagPolicy('semver:^1');
    expect(tagVerdict(policy, '1.4.0')).toEqual({ accepts: true });
    expect(tagVerdict(policy, 'v1.0.2')).toEqual({ accepts: true });
    expect(tagVerdict(policy, '2.0.0')).toEqual({ accepts: false, reason: 'tag policy semver:^1 rejects 2.0.0' });
    expect(tagVerdict(policy, '1.5.0-rc.1')).toEqual({ accepts: false, reason: 'tag policy semver:^1 rejects 1.5.0-rc.1' });
    expect(tagVerdict(policy, 'latest')).toEqual({ accepts: false, reason: 'tag policy semver:^1 rejects latest (not a semantic version)' });
  });

  it('glob matches the whole tag', () => {
    const policy = parseTagPolicy('glob:release-*');
    expect(tagVerdict(policy, 'release-2026.11')).toEqual({ accepts: true });
    expect(tagVerdict(policy, 'pre-release-1').accepts).toBe(false);
    expect(tagVerdict(parseTagPolicy('glob:v?.*'), 'v1.2').accepts).toBe(true);
  });
});

describe(notNewerReason.name, () => {
  const semverPolicy = parseTagPolicy('semver:>=1.0.0');
  it('a semver trigger never deploys the same or an older version than it deployed', () => {
    expect(notNewerReason(semverPolicy, '1.3.0', '1.2.9')).toBeUndefined();
    expect(notNewerReason(semverPolicy, '1.2.0', '1.3.0')).toBe('tag policy semver:>=1.0.0: 1.2.0 is not newer than 1.3.0, which this trigger already deployed');
    expect(notNewerReason(semverPolicy, 'v1.3.0', '1.3.0')).toMatch(/not newer/);
    expect(notNewerReason(semverPolicy, '1.0.0', undefined)).toBeUndefined();
  });

  it('other policies follow the last push', () => {
    expect(notNewerReason(parseTagPolicy('glob:*'), '1.0.0', '2.0.0')).toBeUndefined();
    expect(tagVersion('latest')).toBeUndefined();
  });
});
