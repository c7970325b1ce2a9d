import { Command } from 'commander';
import { CliError } from '../cli-error';
import { addDeployFlags, deployFlagsBody, parseEnv, type DeployFlagOptions } from './deploy-flags';

/** Parses `argv` as `deploy` would and returns the request fields, or the CliError it refuses them with. */
function body(argv: string[]): Record<string, unknown> {
  const cmd = addDeployFlags(new Command('deploy').exitOverride());
  cmd.parse(argv, { from: 'user' });
  return deployFlagsBody(cmd.opts<DeployFlagOptions>());
}

function refusal(argv: string[]): CliError {
  try {
    body(argv);
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe(deployFlagsBody.name, () => {
  it('adds nothing when no flag is given', () => {
    expect(body([])).toEqual({});
  });

  it('reads every flag as flyctl does: repeated -e, Go booleans, lists comma-separated or repeated, --only-regions as --regions', () => {
    expect(
      body([
        '-e', 'A=1', '--env', 'B=x=y', '-e', 'A=2', '--image-label', 'v42',
        '--skip-release-command', '--update-only=false', '--ha=false', '--lease-timeout', '30',
        '--regions', 'ams,cdg', '--only-regions', 'iad', '--exclude-regions', 'syd',
        '--only-machines', '0123456789abcd,', '--exclude-machines', 'fedcba98765432', '--exclude-machines', '00000000000001',
        '--process-groups', 'web,worker', '--process-group', 'cron',
      ]),
    ).toEqual({
      env: { A: '2', B: 'x=y' },
      imageLabel: 'v42',
      skipReleaseCommand: true,
      updateOnly: false,
      ha: false,
      leaseTimeout: 30_000,
      onlyRegions: ['ams', 'cdg', 'iad'],
      excludeRegions: ['syd'],
      onlyMachines: ['0123456789abcd'],
      excludeMachines: ['fedcba98765432', '00000000000001'],
      processGroups: ['web', 'worker', 'cron'],
    });
    expect(body(['--lease-timeout', '1m30s', '--ha', 'T'])).toEqual({ leaseTimeout: 90_000, ha: true });
  });

  it.each([
    [['--env', 'FOO'], "--env: 'FOO': must be in the format NAME=VALUE"],
    [['-e', '=bar'], "--env: '=bar': must be in the format NAME=VALUE"],
    [['--lease-timeout', 'abc'], '--lease-timeout: "abc" is not a duration'],
    [['--lease-timeout', '1s'], '--lease-timeout: must be between 2s and 24h; got "1s"'],
    [['--ha=maybe'], '--ha: "maybe" is not a boolean; use --ha=true or --ha=false'],
    [['--update-only=yes'], '--update-only: "yes" is not a boolean'],
    [['--only-machines', 'web-1'], '--only-machines: "web-1" is not a machine id (14 lower-case hex characters)'],
    [['--exclude-regions', 'AMS'], '--exclude-regions: "AMS" is not a region'],
    [['--image-label', 'has space'], '--image-label: "has space" is not an image tag'],
  ])('refuses %j with exit 2 naming the flag', (argv, message) => {
    const error = refusal(argv);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(message);
  });
});

describe(parseEnv.name, () => {
  it('splits at the first = and keeps an empty value', () => {
    expect(parseEnv(['URL=http://x/?a=b', 'EMPTY='])).toEqual({ URL: 'http://x/?a=b', EMPTY: '' });
    expect(parseEnv(undefined)).toBeUndefined();
  });
});
