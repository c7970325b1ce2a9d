import type { MachineConfig } from '@hangar/machines-api';
import type { Pool } from 'pg';
import type { SimMachine } from '../machines/domain/sim.types';
import { listActiveMachines } from '../machines/machine.repository';
import { checksOf } from '../runtime/check-runner';
import type { MachineObservations, Observation } from '../runtime/machine-observations';
import type { EdgeTarget, EdgeTargetSource } from './edge-target';

/** The internal port HTTP is served on: the service with an `http` handler, else the first service. */
export function httpPortOf(config: MachineConfig): number | undefined {
  const services = config.services ?? [];
  const http = services.find((s) => (s.ports ?? []).some((p) => (p.handlers ?? []).includes('http')));
  return (http ?? services[0])?.internal_port;
}

/**
 * Where the edge may send a machine's requests, or undefined when it may not: the machine is
 * `started`, not cordoned, its HTTP port is published, and every check its config has has passed —
 * not merely failed nowhere yet: a machine that just started has no results and takes no request
 * before its first check passes.
 */
export function edgeAddress(m: Pick<SimMachine, 'state' | 'cordoned' | 'config'>, seen: Observation | undefined): string | undefined {
  if (m.state !== 'started' || m.cordoned || !seen) return undefined;
  const port = httpPortOf(m.config);
  const hostPort = port === undefined ? undefined : seen.ports[port];
  if (hostPort === undefined) return undefined;
  if (checksOf(m.config).some(({ name }) => seen.checks.get(name)?.status !== 'passing')) return undefined;
  return `127.0.0.1:${hostPort}`;
}

/** The app's machines the edge may send requests to (issue 13), from fleet's rows and the runtime's observations. */
export class FleetEdgeTargets implements EdgeTargetSource {
  constructor(
    private readonly pool: Pool,
    private readonly observations: MachineObservations,
  ) {}

  async targets(app: string): Promise<EdgeTarget[]> {
    const out: EdgeTarget[] = [];
    for (const m of await listActiveMachines(this.pool, app)) {
      const address = edgeAddress(m, this.observations.get(m.id, m.instanceId));
      if (address) out.push({ machineId: m.id, address });
    }
    return out;
  }
}
