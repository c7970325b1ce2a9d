import type { Command } from 'commander';
import { IMAGE_LABEL_PATTERN, MACHINE_ID_PATTERN } from '@hangar/contracts';
import { CliError, ExitCode } from '../cli-error';
import { parseDurationFlag } from './machine-flags';

/** The flyctl `deploy` flags of issue 15 as commander hands them over. */
export interface DeployFlagOptions {
  env?: string[];
  imageLabel?: string;
  skipReleaseCommand?: string | boolean;
  updateOnly?: string | boolean;
  ha?: string | boolean;
  leaseTimeout?: string;
  regions?: string[];
  onlyRegions?: string[];
  excludeRegions?: string[];
  onlyMachines?: string[];
  excludeMachines?: string[];
  processGroups?: string[];
  processGroup?: string[];
}

const REGION = /^[a-z0-9-]{1,32}$/;
const MIN_LEASE_MS = 2000;
const MAX_LEASE_MS = 24 * 3600 * 1000;
/** Go's `strconv.ParseBool`, which flyctl's boolean flags use (`--ha=false`, `--update-only=1`). */
const TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

const repeat = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Registers the flags on `deploy`, with flyctl's names; lists take comma-separated values or repeat, as flyctl's. */
export function addDeployFlags(cmd: Command): Command {
  return cmd
    .option('-e, --env <NAME=VALUE>', 'set an environment variable for this release, over [env]; repeatable; recorded in the release', repeat)
    .option(
      '--image-label <label>',
      "flyctl's tag for the image a build pushes; Hangar builds and pushes no image yet, so it is only recorded in the release (flyctl ignores it too for an image resolved remotely)",
    )
    .option('--skip-release-command [bool]', 'do not run [deploy] release_command')
    .option('--update-only [bool]', 'create no machines for process groups that have none')
    .option('--ha [bool]', '--ha=false: 1 machine instead of 2 for a process group that has none (default true)')
    .option('--lease-timeout <duration>', 'how long the lease each machine update holds lasts unless refreshed, e.g. 30s (default 13s; 2s to 24h)')
    .option('--regions <regions>', 'deploy only to machines in these regions (comma-separated or repeated)', repeat)
    .option('--only-regions <regions>', 'the same as --regions', repeat)
    .option('--exclude-regions <regions>', 'leave the machines in these regions alone', repeat)
    .option('--only-machines <ids>', 'deploy only to these machines', repeat)
    .option('--exclude-machines <ids>', 'leave these machines alone', repeat)
    .option('--process-groups <groups>', 'deploy only to machines of these process groups; only they get or lose machines', repeat)
    .option('--process-group <group...>', 'the same as --process-groups');
}

/**
 * The deploy request's fields for the flags given (DESIGN §7.2), checked here so a bad value is exit
 * 2 naming the flag before anything is sent; absent flags add nothing.
 */
export function deployFlagsBody(opts: DeployFlagOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const env = parseEnv(opts.env);
  if (env) body.env = env;
  if (opts.imageLabel !== undefined) {
    if (!IMAGE_LABEL_PATTERN.test(opts.imageLabel)) {
      throw usage(`--image-label: "${opts.imageLabel}" is not an image tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
    }
    body.imageLabel = opts.imageLabel;
  }
  for (const [flag, field] of [
    ['--skip-release-command', 'skipReleaseCommand'],
    ['--update-only', 'updateOnly'],
    ['--ha', 'ha'],
  ] as const) {
    const value = parseBool(flag, opts[field]);
    if (value !== undefined) body[field] = value;
  }
  if (opts.leaseTimeout !== undefined) {
    const ms = parseDurationFlag('--lease-timeout', opts.leaseTimeout);
    if (ms < MIN_LEASE_MS || ms > MAX_LEASE_MS) throw usage(`--lease-timeout: must be between 2s and 24h; got "${opts.leaseTimeout}"`);
    body.leaseTimeout = ms;
  }
  const lists = {
    onlyRegions: list('--regions', [...(opts.regions ?? []), ...(opts.onlyRegions ?? [])], REGION, 'a region'),
    excludeRegions: list('--exclude-regions', opts.excludeRegions, REGION, 'a region'),
    onlyMachines: list('--only-machines', opts.onlyMachines, MACHINE_ID_PATTERN, 'a machine id (14 lower-case hex characters)'),
    excludeMachines: list('--exclude-machines', opts.excludeMachines, MACHINE_ID_PATTERN, 'a machine id (14 lower-case hex characters)'),
    processGroups: list('--process-groups', [...(opts.processGroups ?? []), ...(opts.processGroup ?? [])]),
  };
  for (const [field, values] of Object.entries(lists)) if (values) body[field] = values;
  return body;
}

/** `-e NAME=VALUE`, split at the first `=`, later ones winning; flyctl's message for one without `=`. */
export function parseEnv(pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usage(`--env: '${pair}': must be in the format NAME=VALUE`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

function parseBool(flag: string, raw: string | boolean | undefined): boolean | undefined {
  if (raw === undefined || typeof raw === 'boolean') return raw;
  if (TRUE.includes(raw)) return true;
  if (FALSE.includes(raw)) return false;
  throw usage(`${flag}: "${raw}" is not a boolean; use ${flag}=true or ${flag}=false`);
}

/** Comma-separated and repeated values, blanks dropped (flyctl's `GetNonEmptyStringSlice`), duplicates once. */
function list(flag: string, raw: readonly string[] | undefined, pattern?: RegExp, what?: string): string[] | undefined {
  const values = [...new Set((raw ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''))];
  const bad = pattern ? values.filter((v) => !pattern.test(v)) : [];
  if (bad.length > 0) throw usage(`${flag}: ${bad.map((v) => `"${v}"`).join(', ')} is not ${what}`);
  return values.length > 0 ? values : undefined;
}

function usage(message: string): CliError {
  return new CliError(message, ExitCode.USAGE);
}
