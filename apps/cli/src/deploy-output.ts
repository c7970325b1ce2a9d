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

/**
 * Renders one release event as the lines `hangar deploy` prints (DESIGN §7.1, modelled on flyctl's
 * output). Pure, so the exact output is unit-tested.
 */
export function renderDeployEvent(e: ReleaseFeedEvent, app: string): RenderedEvent {
  const d = e.data;
  const out = (...lines: string[]): RenderedEvent => ({ stdout: lines, stderr: [] });
  switch (e.type) {
    case 'ReleaseStarted':
      return out('==> Building image', `Searching for image '${String(d.imageRef)}' remotely...`);
    case 'RolloutPlanned': {
      const image = d.image as { imageId: string };
      return out(`image found: ${image.imageId}`, `Deploying ${app} app with ${String(d.strategy)} strategy`);
    }
    case 'RolloutStepSucceeded':
      return out(`  Machine ${String(d.machineId)} update finished: success`);
    case 'RolloutStepFailed':
      return out(`  Machine ${String(d.machineId ?? d.key)} update finished: failed: ${String(d.reason)}`);
    case 'ReleaseCompleted':
      return { stdout: ['  Finished deploying'], stderr: [], final: { status: 'complete', exitCode: 0 } };
    case 'ReleaseFailed':
      return { stdout: [], stderr: [`Error: release v${String(d.version)} failed: ${String(d.reason)}`], final: { status: 'failed', exitCode: 1 } };
    case 'ReleaseCancelled':
      return { stdout: [], stderr: [`Error: release v${String(d.version)} was cancelled`], final: { status: 'cancelled', exitCode: 1 } };
    default:
      return out();
  }
}
