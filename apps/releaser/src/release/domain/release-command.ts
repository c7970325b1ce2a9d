import { checksFor, mountsFor, processGroupsOf, splitCommand } from '@hangar/app-config';
import type { MachineConfig } from '@hangar/machines-api';
import { pinnedImageRef } from './machine-config';
import type { MachineSnapshot, RecordStepOutcome } from './release.commands';
import type { ReleaseEvent, ResolvedImage } from './release.events';
import type { ReleaseState } from './release.state';

/** flyctl's group for release-command machines (reference §5); plans never touch it. */
export const RELEASE_COMMAND_GROUP = 'fly_app_release_command';
const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;
/** `release_command_timeout = "none"`: no limit, as far as a wait can express it (a week). */
const NO_LIMIT_MS = 7 * 24 * 60 * 60 * 1000;

export function releaseCommandKey(state: ReleaseState): string {
  return `${state.releaseId}:release-command`;
}

/**
 * The release command's temporary machine (DESIGN §5 step 3, reference §5): the new image and
 * config in the primary region, `init.cmd` = the shell-split command, no services, mounts or checks,
 * `RELEASE_COMMAND=1`, `auto_destroy`, restart `no`.
 */
export function releaseCommandConfig(state: ReleaseState, image: ResolvedImage, command: string): MachineConfig {
  const { config } = state;
  return {
    image: pinnedImageRef(image),
    env: {
      ...config.env,
      RELEASE_COMMAND: '1',
      FLY_PROCESS_GROUP: RELEASE_COMMAND_GROUP,
      ...(config.primaryRegion ? { PRIMARY_REGION: config.primaryRegion } : {}),
    },
    init: { cmd: splitCommand(command) },
    restart: { policy: 'no' },
    auto_destroy: true,
    dns: { skip_registration: true },
    metadata: {
      fly_platform_version: 'v2',
      fly_process_group: RELEASE_COMMAND_GROUP,
      fly_release_id: state.releaseId,
      fly_release_version: String(state.version),
    },
  };
}

export function releaseCommandRequest(state: ReleaseState, image: ResolvedImage, command: string): ReleaseEvent[] {
  const key = releaseCommandKey(state);
  const timeout = state.releaseCommandTimeoutMs === null ? NO_LIMIT_MS : state.releaseCommandTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  return [
    { type: 'ReleaseCommandStarted', data: { releaseId: state.releaseId, app: state.app, key, command, image } },
    {
      type: 'MachineUpdateRequested',
      data: {
        app: state.app,
        key,
        kind: 'release-command',
        releaseId: state.releaseId,
        releaseVersion: state.version,
        processGroup: RELEASE_COMMAND_GROUP,
        // No primary region: none is sent and the platform chooses (Fly rejects fleet's `local`).
        ...(state.config.primaryRegion === undefined ? {} : { region: state.config.primaryRegion }),
        config: releaseCommandConfig(state, image, command),
        skipLaunch: false,
        waitForHealth: false,
        waitTimeoutMs: timeout,
        ...(state.secretsVersion === undefined ? {} : { secretsVersion: state.secretsVersion }),
      },
    },
  ];
}

/** The command exited 0: the rollout may be planned. Anything else fails the release, no machine touched. */
export function releaseCommandOutcome(state: ReleaseState, outcome: RecordStepOutcome, finishedAt: string): ReleaseEvent[] {
  const { releaseId, app, version } = state;
  const key = outcome.key;
  if (outcome.ok && outcome.machineId) {
    const done: ReleaseEvent = { type: 'ReleaseCommandCompleted', data: { releaseId, app, key, machineId: outcome.machineId } };
    return state.cancelRequested ? [done, { type: 'ReleaseCancelled', data: { releaseId, app, version, finishedAt } }] : [done];
  }
  const machine = outcome.machineId ?? 'unknown';
  const reason =
    outcome.exitCode === undefined
      ? `release command failed - aborting deployment. ${outcome.reason ?? 'unknown error'}`
      : `release command failed - aborting deployment. machine ${machine} exited with non-zero status of ${outcome.exitCode}`;
  return [
    {
      type: 'ReleaseCommandFailed',
      data: {
        releaseId,
        app,
        key,
        ...(outcome.machineId ? { machineId: outcome.machineId } : {}),
        ...(outcome.exitCode === undefined ? {} : { exitCode: outcome.exitCode }),
        logs: (outcome.logs ?? []).slice(-100),
        ...(outcome.logsUnavailable === undefined ? {} : { logsUnavailable: outcome.logsUnavailable }),
        reason: outcome.reason ?? reason,
      },
    },
    { type: 'ReleaseFailed', data: { releaseId, app, version, reason, failures: [{ key, reason }], finishedAt } },
  ];
}

/**
 * Bluegreen preconditions (DESIGN §6.2, reference §4.4): at least one health check, no mounts, and
 * every current machine on one image. Returns the reason to refuse, or undefined.
 */
export function checkBluegreen(state: ReleaseState, machines: readonly MachineSnapshot[]): string | undefined {
  const groups = processGroupsOf(state.config);
  if (!groups.some((g) => checksFor(state.config, g).length > 0)) {
    return 'You need to define at least 1 check in order to use blue-green deployments';
  }
  if (groups.some((g) => mountsFor(state.config, g).length > 0)) return 'bluegreen is not allowed with [mounts]';
  const images = new Set(machines.filter((m) => m.managed && m.state !== 'destroyed').map((m) => m.config.image));
  if (images.size > 1) {
    return `Found ${images.size} different images running in ${state.app} (${[...images].sort().join(', ')}): bluegreen needs every machine on one image; deploy with rolling first`;
  }
  return undefined;
}
