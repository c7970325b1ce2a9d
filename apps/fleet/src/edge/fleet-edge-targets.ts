import type { MachineConfig } from '@hangar/machines-api';
import type { Pool } from 'pg';
import { listActiveMachines } from '../machines/machine.repository';
import type { MachineObservations } from '../runtime/machine-observations';
import type { EdgeTarget, EdgeTargetSource } from './edge-target';

/** The internal port HTTP is served on: the service with an `http` handler, else the first service. */
export function httpPortOf(config: MachineConfig): number | undefined {
  const services = config.services ?? [];
  const http = services.find((s) => (s.ports ?? []).some((p) => (p.handlers ?? []).includes('http')));
  return (http ?? services[0])?.internal_port;
}

/**
 * Where the edge may send an app's requests (issue 13): its machines that are `started`, not
 * cordoned, and passing every check they have, at the host port their HTTP service is published on.
 */
export class FleetEdgeTargets implements EdgeTargetSource {
  constructor(
    private readonly pool: Pool,
    private readonly observations: MachineObservations,
  ) {}

  async targets(app: string): Promise<EdgeTarget[]> {
    const out: EdgeTarget[] = [];
    for (const m of await listActiveMachines(this.pool, app)) {
      if (m.state !== 'started' || m.cordoned) continue;
      const port = httpPortOf(m.config);
      const seen = this.observations.get(m.id, m.instanceId);
      const hostPort = port === undefined ? undefined : seen?.ports[port];
      if (!seen || hostPort === undefined) continue;
      if ([...seen.checks.values()].some((c) => c.status !== 'passing')) continue;
      out.push({ machineId: m.id, address: `127.0.0.1:${hostPort}` });
    }
    return out;
  }
}
