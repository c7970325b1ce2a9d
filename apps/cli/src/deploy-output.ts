import { formatGoDuration } from '@hangar/app-config';

/** flyctl's defaults, against which it notes the timeouts a deploy uses (reference §0). */
const DEFAULT_WAIT_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_LEASE_TIMEOUT_MS = 13_000;

/** What the plan recorded of the deploy filters (`RolloutPlanned.filters`). */
export interface FilterOutcome {
  applied: string[];
  selected: number;
  total: number;
  unknownMachines?: string[];
}

/**
 * flyctl's `<flags> filter(s) applied, deploying to N/M machines` (on stderr, as flyctl), and a
 * warning naming ids given to `--only-machines`/`--exclude-machines` that are no managed machine.
 */
export function filterLines(filters: FilterOutcome | undefined, app: string): string[] {
  if (!filters) return [];
  const s = filters.applied.length > 1 ? 's' : '';
  const lines = [`${filters.applied.join('/')} filter${s} applied, deploying to ${filters.selected}/${filters.total} machines`];
  if (filters.unknownMachines?.length) lines.push(`WARNING ${filters.unknownMachines.join(', ')}: no managed machine of ${app} has this id`);
  return lines;
}

/** A release event as the gateway streams it (DESIGN §7.3 feed shape). */
export interface ReleaseFeedEvent {
  type: string;
  data: Record<string, unknown>;
}

export interface RenderedEvent {
  stdout: string[];
  stderr: string[];
  /** Set on the release's last event. */
  final?: { status: 'complete' | 'failed' | 'cancelled'; exitCode: number };
}

type Step = { kind: string; machineId?: string; processGroup?: string };

/**
 * Renders a release's events as the lines `hangar deploy` prints (DESIGN §7.1, modelled on
 * flyctl's output per strategy, reference §9). Keeps what it needs to name each step (the requests
 * it saw), so the exact output is unit-tested without I/O.
 */
export class DeployRenderer {
  private readonly steps = new Map<string, Step>();
  private readonly phases = new Set<string>();

  constructor(private readonly app: string) {}

  render(e: ReleaseFeedEvent): RenderedEvent {
    const d = e.data;
    const out = (...lines: string[]): RenderedEvent => ({ stdout: lines, stderr: [] });
    switch (e.type) {
      case 'ReleaseQueued':
        return { stdout: [], stderr: timeoutLine(d) };
      case 'ReleaseStarted':
        return out('==> Building image', `Searching for image '${String(d.imageRef)}' remotely...`);
      case 'ReleaseCommandStarted': {
        const image = d.image as { imageId: string };
        this.phases.add('image');
        return out(`image found: ${image.imageId}`, `Running ${this.app} release_command: ${String(d.command)}`);
      }
      case 'ReleaseCommandCompleted':
        return out(`  release_command ${String(d.machineId)} completed successfully`);
      case 'ReleaseCommandFailed': {
        const logs = (d.logs as string[] | undefined) ?? [];
        const head =
          d.exitCode === undefined
            ? `Error release_command failed running on machine ${String(d.machineId ?? '?')}: ${String(d.reason)}`
            : `Error release_command failed running on machine ${String(d.machineId)} with exit code ${String(d.exitCode)}.`;
        if (typeof d.logsUnavailable === 'string') return out(head, `Logs are not available from this provider: ${d.logsUnavailable}`);
        return out(head, 'Checking logs: fetching the last 100 lines below:', ...logs.map((l) => `  ${l}`));
      }
      case 'RolloutPlanned': {
        const image = d.image as { imageId: string };
        const seen = this.phases.has('image');
        const warnings = ((d.warnings as string[] | undefined) ?? []).map((w) => `WARN ${w}`);
        return {
          stdout: [...(seen ? [] : [`image found: ${image.imageId}`]), ...warnings, `Deploying ${this.app} app with ${String(d.strategy)} strategy`],
          stderr: filterLines(d.filters as FilterOutcome | undefined, this.app),
        };
      }
      case 'MachineUpdateRequested':
        return out(...this.requested(String(d.key), { kind: String(d.kind), ...(d.machineId ? { machineId: String(d.machineId) } : {}), processGroup: String(d.processGroup) }));
      case 'RolloutStepSucceeded':
        return out(...this.succeeded(String(d.key), String(d.machineId)));
      case 'RolloutStepFailed':
        return out(`  Machine ${String(d.machineId ?? d.key)} update finished: failed: ${String(d.reason)}`);
      case 'ReleaseCancelRequested':
        return out('Cancelling: operations in flight finish, nothing new starts');
      case 'ReleaseCompleted':
        return { stdout: ['  Finished deploying'], stderr: [], final: { status: 'complete', exitCode: 0 } };
      case 'ReleaseFailed':
        return { stdout: [], stderr: [`Error: release v${String(d.version)} failed: ${String(d.reason)}`], final: { status: 'failed', exitCode: 1 } };
      case 'ReleaseCancelled':
        return { stdout: [`Release v${String(d.version)} cancelled`], stderr: [], final: { status: 'cancelled', exitCode: 1 } };
      case 'ReleaseRolledBack':
        return out(`Rolling back: release v${String(d.rollbackVersion)} restores v${String(d.toVersion)} (automatic rollback)`);
      default:
        return out();
    }
  }

  private once(phase: string, line: string): string[] {
    if (this.phases.has(phase)) return [];
    this.phases.add(phase);
    return [line];
  }

  private requested(key: string, step: Step): string[] {
    this.steps.set(key, step);
    if (key.includes(':canary:') && step.kind === 'create') return [`Creating canary machine for group ${step.processGroup}`];
    if (key.includes(':green:') && step.kind === 'create') return this.once('green', 'Creating green machines');
    if (step.kind === 'uncordon') return this.once('uncordon', 'Marking green machines as ready');
    if (step.kind === 'cordon') return this.once('cordon', 'Cordoning, stopping and destroying blue machines');
    return [];
  }

  private succeeded(key: string, machineId: string): string[] {
    const step = this.steps.get(key);
    if (key.includes(':canary:')) {
      return step?.kind === 'destroy' ? [`  Canary machine ${machineId} destroyed`] : [`  Machine ${machineId} [${step?.processGroup ?? 'app'}] canary is healthy`];
    }
    switch (step?.kind) {
      case 'uncordon':
        return [`  Machine ${machineId} now ready`];
      case 'cordon':
        return [`  Machine ${machineId} cordoned`];
      case 'stop':
        return [`  Machine ${machineId} stopped`];
      case 'destroy':
        return [`  Machine ${machineId} destroyed`];
      default:
        return key.includes(':green:') ? [`  Created machine ${machineId}`] : [`  Machine ${machineId} update finished: success`];
    }
  }
}

/**
 * flyctl's `Using wait timeout: X lease timeout: Y delay between lease refreshes: Z` when either
 * timeout is not the default; nothing for events recorded before `--lease-timeout` existed.
 */
function timeoutLine(d: Record<string, unknown>): string[] {
  if (typeof d.waitTimeoutMs !== 'number') return [];
  const lease = typeof d.leaseTimeoutMs === 'number' ? d.leaseTimeoutMs : DEFAULT_LEASE_TIMEOUT_MS;
  if (d.waitTimeoutMs === DEFAULT_WAIT_TIMEOUT_MS && lease === DEFAULT_LEASE_TIMEOUT_MS) return [];
  // The lease is taken in whole seconds, and refreshed every (ttl − 1 s) / 3.
  const ttl = Math.ceil(lease / 1000) * 1000;
  return [`Using wait timeout: ${formatGoDuration(d.waitTimeoutMs)} lease timeout: ${formatGoDuration(ttl)} delay between lease refreshes: ${formatGoDuration(Math.round((ttl - 1000) / 3))}`];
}

/** One event rendered on its own (no request context). */
export function renderDeployEvent(e: ReleaseFeedEvent, app: string): RenderedEvent {
  return new DeployRenderer(app).render(e);
}
