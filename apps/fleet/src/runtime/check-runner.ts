import { connect } from 'node:net';
import { parseDurationMs } from '@hangar/app-config';
import type { MachineCheck, MachineCheckStatus, MachineConfig } from '@hangar/machines-api';
import type { MachineObservations } from './machine-observations';

/** A check of a machine config with its API name: top-level checks by name, service checks as `servicecheck-NN-<type>-<port>` (as the sim names them). */
export interface NamedCheck {
  name: string;
  check: MachineCheck & { port: number; headers?: Record<string, string> };
}

export function checksOf(config: MachineConfig): NamedCheck[] {
  const top = Object.entries(config.checks ?? {})
    .filter(([, c]) => c.port !== undefined)
    .map(([name, c]) => ({ name, check: { ...c, port: c.port! } }));
  const services = (config.services ?? []).flatMap((s) => (s.checks ?? []).map((c) => ({ ...c, port: c.port ?? s.internal_port })));
  return [...top, ...services.map((c, i) => ({ name: `servicecheck-${String(i).padStart(2, '0')}-${c.type}-${c.port}`, check: c }))];
}

const DEFAULT_INTERVAL_MS = 15_000;
const DEFAULT_TIMEOUT_MS = 2_000;

/** One check attempt against 127.0.0.1:`hostPort`: `passing` on a TCP connect, or an HTTP status below 400. */
export async function probe(check: NamedCheck['check'], hostPort: number): Promise<{ ok: boolean; output: string }> {
  const timeoutMs = parseDurationMs(check.timeout) ?? DEFAULT_TIMEOUT_MS;
  if (check.type === 'tcp') {
    return new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: hostPort });
      const done = (ok: boolean, output: string) => {
        socket.destroy();
        resolve({ ok, output });
      };
      socket.setTimeout(timeoutMs, () => done(false, `timeout after ${timeoutMs} ms`));
      socket.once('connect', () => done(true, 'Success'));
      socket.once('error', (err) => done(false, `connect: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    });
  }
  const path = check.path && check.path.startsWith('/') ? check.path : `/${check.path ?? ''}`;
  try {
    const res = await fetch(`http://127.0.0.1:${hostPort}${path}`, { method: check.method?.toUpperCase() ?? 'GET', headers: check.headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    return res.status < 400 ? { ok: true, output: `[✓] ${res.status}` } : { ok: false, output: `[✗] ${check.method?.toUpperCase() ?? 'GET'} ${path}: HTTP ${res.status}` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    return { ok: false, output: `[✗] ${path}: ${cause === 'TimeoutError' ? `timeout after ${timeoutMs} ms` : cause}` };
  }
}

interface Running {
  instanceId: string;
  /** The pending timer of each check, by name. */
  timers: Map<string, NodeJS.Timeout>;
}

/**
 * Runs the checks of every started podman machine on their own intervals (first after the grace
 * period) and records each result in `MachineObservations`: what machine-updater waits on and the
 * edge routes by. A check is `critical` until it first passes.
 */
export class CheckRunner {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly observations: MachineObservations,
    private readonly now: () => number,
  ) {}

  /** Starts the checks of `machineId`'s instance if they are not running, given its host ports. */
  ensure(machineId: string, instanceId: string, config: MachineConfig, ports: Record<number, number>): void {
    const current = this.running.get(machineId);
    if (current?.instanceId === instanceId) return;
    this.stop(machineId);
    const run: Running = { instanceId, timers: new Map() };
    this.running.set(machineId, run);
    for (const { name, check } of checksOf(config)) {
      this.observations.setCheck(machineId, instanceId, { name, status: 'critical', output: 'waiting for the first check', updated_at: new Date(this.now()).toISOString() });
      const interval = Math.max(100, parseDurationMs(check.interval) ?? DEFAULT_INTERVAL_MS);
      const tick = async () => {
        const hostPort = ports[check.port];
        const result = hostPort ? await probe(check, hostPort) : { ok: false, output: `port ${check.port} is not published` };
        if (this.running.get(machineId) !== run) return;
        this.observations.setCheck(machineId, instanceId, { name, status: result.ok ? 'passing' : 'critical', output: result.output, updated_at: new Date(this.now()).toISOString() });
        run.timers.set(name, setTimeout(() => void tick(), interval).unref());
      };
      run.timers.set(name, setTimeout(() => void tick(), parseDurationMs(check.grace_period) ?? 0).unref());
    }
  }

  /** Stops a machine's checks (it is no longer started); its last results stay until the instance changes. */
  stop(machineId: string): void {
    const run = this.running.get(machineId);
    if (!run) return;
    run.timers.forEach((t) => clearTimeout(t));
    this.running.delete(machineId);
  }

  stopAll(): void {
    for (const id of [...this.running.keys()]) this.stop(id);
  }
}
