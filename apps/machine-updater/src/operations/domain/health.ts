import { exitCodeOf, type Machine } from '@hangar/machines-api';

/** What a poll of a machine says about an update waiting for it to become healthy. */
export type HealthVerdict =
  | { kind: 'healthy' }
  | { kind: 'waiting'; detail: string }
  | { kind: 'exited'; reason: string };

/** Number of checks the machine's config defines (top-level plus service checks). */
export function configuredCheckCount(machine: Machine): number {
  const top = Object.keys(machine.config.checks ?? {}).length;
  const services = (machine.config.services ?? []).reduce((n, s) => n + (s.checks?.length ?? 0), 0);
  return top + services;
}

/**
 * Judges one observation of a machine being brought to `instanceId`: fail fast when it exited
 * (flyctl #2653 waits out the timeout instead), healthy once started with that instance and every
 * configured check passing.
 */
export function judgeHealth(machine: Machine, instanceId: string | undefined, requireChecks: boolean): HealthVerdict {
  if (instanceId !== undefined && machine.instance_id !== instanceId) {
    return { kind: 'waiting', detail: `instance ${machine.instance_id} is not yet ${instanceId}` };
  }
  if (machine.state === 'stopped' || machine.state === 'failed' || machine.state === 'destroyed') {
    const exit = (machine.events ?? []).find((e) => e.type === 'exit'); // Fly lists events newest first
    const code = exitCodeOf(exit);
    return { kind: 'exited', reason: `machine ${machine.state}${code === undefined ? '' : ` with exit code ${code}`} before it became healthy` };
  }
  if (machine.state !== 'started') return { kind: 'waiting', detail: `state ${machine.state}` };
  if (!requireChecks) return { kind: 'healthy' };
  const expected = configuredCheckCount(machine);
  if (expected === 0) return { kind: 'healthy' };
  const checks = machine.checks ?? [];
  const passing = checks.filter((c) => c.status === 'passing').length;
  if (checks.length > 0 && passing === checks.length) return { kind: 'healthy' };
  return { kind: 'waiting', detail: `${passing}/${Math.max(expected, checks.length)} checks passing` };
}
