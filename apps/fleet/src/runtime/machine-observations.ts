import { Injectable } from '@nestjs/common';
import type { MachineCheckStatus } from '@hangar/machines-api';

/** What the runtime last saw of one machine instance: its host ports and its checks' results. */
export interface Observation {
  instanceId: string;
  /** internal port → host port on 127.0.0.1. */
  ports: Record<number, number>;
  checks: Map<string, MachineCheckStatus>;
}

/**
 * The podman runtime's view of running machines, read by the API (checks, ports) and the edge proxy.
 * In memory: a restarted fleet rebuilds it from podman within a reconcile round and re-runs checks.
 * Empty under the sim runtime, whose checks are simulated.
 */
@Injectable()
export class MachineObservations {
  private readonly byMachine = new Map<string, Observation>();

  /** The observation of this instance, or undefined when the runtime has none for it (yet). */
  get(machineId: string, instanceId: string): Observation | undefined {
    const o = this.byMachine.get(machineId);
    return o && o.instanceId === instanceId ? o : undefined;
  }

  setPorts(machineId: string, instanceId: string, ports: Record<number, number>): void {
    const o = this.current(machineId, instanceId);
    o.ports = ports;
  }

  setCheck(machineId: string, instanceId: string, status: MachineCheckStatus): void {
    this.current(machineId, instanceId).checks.set(status.name, status);
  }

  forget(machineId: string): void {
    this.byMachine.delete(machineId);
  }

  machineIds(): string[] {
    return [...this.byMachine.keys()];
  }

  private current(machineId: string, instanceId: string): Observation {
    let o = this.byMachine.get(machineId);
    if (!o || o.instanceId !== instanceId) {
      o = { instanceId, ports: {}, checks: new Map() };
      this.byMachine.set(machineId, o);
    }
    return o;
  }
}
