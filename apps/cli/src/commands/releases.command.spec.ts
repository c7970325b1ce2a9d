import { deployFlagsText } from './releases.command';

describe(deployFlagsText.name, () => {
  it('writes a release’s recorded deploy flags back as flags', () => {
    expect(
      deployFlagsText({
        env: { LOG_LEVEL: 'debug', GREETING: 'hello world' },
        onlyRegions: ['ams', 'cdg'],
        excludeMachines: ['0123456789abcd'],
        skipReleaseCommand: true,
        updateOnly: true,
        ha: false,
        leaseTimeoutMs: 30_000,
        imageLabel: 'v42',
      }),
    ).toBe('-e LOG_LEVEL=debug -e GREETING="hello world" --regions ams,cdg --exclude-machines 0123456789abcd --skip-release-command --update-only --ha=false --lease-timeout 30s --image-label v42 (recorded only)');
    expect(deployFlagsText({})).toBe('-');
  });
});
