import { Agent } from 'node:http';
import type { Socket } from 'node:net';

export interface UpstreamAgentOptions {
  /** An idle keep-alive socket is closed after this long, ms: shorter than the upstream's own timeout. */
  idleSocketMs: number;
  /** Idle sockets kept per machine. */
  maxIdleSockets: number;
}

/** Where to connect for an `address` of the form `host:port` or `[v6]:port`. */
export function parseAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535) throw new Error(`edge target address must be host:port; got "${address}"`);
  return { host: match[1] ?? match[2]!, port };
}

class MachineAgent {
  readonly agent: Agent;
  private closing = false;

  constructor(
    readonly address: string,
    options: UpstreamAgentOptions,
  ) {
    this.agent = new Agent({ keepAlive: true, timeout: options.idleSocketMs, maxFreeSockets: options.maxIdleSockets });
    // Runs after the agent's own 'free' handler has pooled the socket; its 'close' unpools it again.
    this.agent.on('free', (socket: Socket) => {
      if (this.closing) socket.destroy();
    });
  }

  /** Closes the idle sockets now and each busy one as soon as its request is done. */
  closeWhenIdle(): void {
    this.closing = true;
    for (const sockets of Object.values(this.agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
  }

  reopen(): void {
    this.closing = false;
  }
}

/**
 * One keep-alive agent per machine, so a machine's sockets can be closed on their own: when it is
 * drained (its container is about to stop; a restarted one on the same port must not be reached
 * through a socket of the old one) or when its address changes.
 */
export class UpstreamAgents {
  private readonly machines = new Map<string, MachineAgent>();

  constructor(private readonly options: UpstreamAgentOptions) {}

  agentFor(machineId: string, address: string): Agent {
    let entry = this.machines.get(machineId);
    if (entry?.address !== address) {
      entry?.closeWhenIdle();
      entry = new MachineAgent(address, this.options);
      this.machines.set(machineId, entry);
    }
    return entry.agent;
  }

  closeWhenIdle(machineId: string): void {
    this.machines.get(machineId)?.closeWhenIdle();
  }

  reopen(machineId: string): void {
    this.machines.get(machineId)?.reopen();
  }

  /** The machine is gone: its agent closes its sockets as they free up and is no longer kept. */
  forget(machineId: string): void {
    this.machines.get(machineId)?.closeWhenIdle();
    this.machines.delete(machineId);
  }

  /** Sockets (busy and idle) the agents hold, per machine: for tests and metrics. */
  openSockets(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [machineId, { agent }] of this.machines) {
      const count = (pool: NodeJS.ReadOnlyDict<Socket[]>): number => Object.values(pool).reduce((n, list) => n + (list?.length ?? 0), 0);
      counts[machineId] = count(agent.sockets) + count(agent.freeSockets);
    }
    return counts;
  }

  destroyAll(): void {
    for (const { agent } of this.machines.values()) agent.destroy();
    this.machines.clear();
  }
}
