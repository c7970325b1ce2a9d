import { filterLines, renderDeployEvent } from './deploy-output';

describe(renderDeployEvent.name, () => {
  it('prints the rolling deploy lines of DESIGN §7.1', () => {
    const events = [
      { type: 'ReleaseQueued', data: {} },
      { type: 'ReleaseStarted', data: { imageRef: 'nginx' } },
      { type: 'RolloutPlanned', data: { image: { imageId: 'img_wd57v5nge95v38o0' }, strategy: 'rolling' } },
      { type: 'MachineUpdateRequested', data: {} },
      { type: 'RolloutStepSucceeded', data: { machineId: '21781973f03e89' } },
      { type: 'ReleaseCompleted', data: { version: 2 } },
    ];
    const lines = events.flatMap((e) => renderDeployEvent(e, 'dry-pond-1475').stdout);
    expect(lines).toEqual([
      '==> Building image',
      "Searching for image 'nginx' remotely...",
      'image found: img_wd57v5nge95v38o0',
      'Deploying dry-pond-1475 app with rolling strategy',
      '  Machine 21781973f03e89 update finished: success',
      '  Finished deploying',
    ]);
  });

  it('prints the plan warnings (a machine on an unreachable host) before the rollout', () => {
    const lines = renderDeployEvent(
      { type: 'RolloutPlanned', data: { image: { imageId: 'img_1' }, strategy: 'rolling', warnings: ['Machine m2 [app] is on an unreachable host (host_status unreachable): skipped'] } },
      'a',
    ).stdout;
    expect(lines).toEqual(['image found: img_1', 'WARN Machine m2 [app] is on an unreachable host (host_status unreachable): skipped', 'Deploying a app with rolling strategy']);
  });

  it('ends a failed release with the error on stderr and exit code 1', () => {
    const failed = renderDeployEvent({ type: 'RolloutStepFailed', data: { machineId: 'abc', reason: 'unhealthy' } }, 'a');
    expect(failed.stdout).toEqual(['  Machine abc update finished: failed: unhealthy']);
    const end = renderDeployEvent({ type: 'ReleaseFailed', data: { version: 3, reason: 'machine abc update failed: unhealthy' } }, 'a');
    expect(end.stderr).toEqual(['Error: release v3 failed: machine abc update failed: unhealthy']);
    expect(end.final).toEqual({ status: 'failed', exitCode: 1 });
  });

  it('prints flyctl’s filter line on stderr when a deploy filter applied, and a warning for unknown machine ids', () => {
    const planned = renderDeployEvent(
      { type: 'RolloutPlanned', data: { image: { imageId: 'img_x' }, strategy: 'rolling', filters: { applied: ['--regions', '--only-machines'], selected: 1, total: 3, unknownMachines: ['ffffffffffffff'] } } },
      'demo',
    );
    expect(planned.stdout).toEqual(['image found: img_x', 'Deploying demo app with rolling strategy']);
    expect(planned.stderr).toEqual(['--regions/--only-machines filters applied, deploying to 1/3 machines', 'WARNING ffffffffffffff: no managed machine of demo has this id']);
    expect(filterLines({ applied: ['--exclude-machines'], selected: 2, total: 3 }, 'demo')).toEqual(['--exclude-machines filter applied, deploying to 2/3 machines']);
    expect(renderDeployEvent({ type: 'RolloutPlanned', data: { image: { imageId: 'img_x' }, strategy: 'rolling' } }, 'demo').stderr).toEqual([]);
  });

  it('notes non-default wait and lease timeouts as flyctl does, on stderr', () => {
    const queued = (data: Record<string, unknown>) => renderDeployEvent({ type: 'ReleaseQueued', data }, 'demo');
    expect(queued({ waitTimeoutMs: 300_000, leaseTimeoutMs: 30_000 }).stderr).toEqual(['Using wait timeout: 5m0s lease timeout: 30s delay between lease refreshes: 9.667s']);
    expect(queued({ waitTimeoutMs: 2000 }).stderr).toEqual(['Using wait timeout: 2s lease timeout: 13s delay between lease refreshes: 4s']);
    expect(queued({ waitTimeoutMs: 300_000 }).stderr).toEqual([]);
    expect(queued({ waitTimeoutMs: 300_000 }).stdout).toEqual([]);
  });
});
