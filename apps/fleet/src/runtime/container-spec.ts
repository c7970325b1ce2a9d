import type { StopRequest } from '../machines/domain/sim.types';
import { stopTimeoutMs } from '../machines/dto/stop-request.dto';
import { parseDurationMs } from '@hangar/app-config';
import type { MachineConfig } from '@hangar/machines-api';

/** Labels fleet puts on every container it makes, so a restarted fleet finds its own (and only its own). */
export const LABELS = { fleet: 'hangar.fleet', machine: 'hangar.machine', instance: 'hangar.instance', app: 'hangar.app' } as const;

/** What a container is made from: the machine as fleet stores it, and what the runtime resolved for it. */
export interface ContainerInput {
  fleetId: string;
  machineId: string;
  instanceId: string;
  app: string;
  region: string;
  config: MachineConfig;
  /** The image to run as podman knows it (a mirror's reference, or the config's). */
  image: string;
  /** Podman named volume per mount path, when the machine has a volume. */
  volumes: { name: string; path: string }[];
}

/** The container's name: one per machine instance, so an update never collides with the instance it replaces. */
export function containerName(fleetId: string, machineId: string, instanceId: string): string {
  return `hangar-${fleetId}-${machineId}-${instanceId.toLowerCase()}`;
}

/** The podman named volume of a Hangar volume. */
export function volumeName(fleetId: string, volumeId: string): string {
  return `hangar-${fleetId}-${volumeId}`;
}

/** Ports the container publishes on 127.0.0.1 (podman picks the host port): every service's `internal_port` and every check port. */
export function internalPorts(config: MachineConfig): number[] {
  const ports = new Set<number>();
  for (const s of config.services ?? []) {
    ports.add(s.internal_port);
    for (const c of s.checks ?? []) if (c.port) ports.add(c.port);
  }
  for (const c of Object.values(config.checks ?? {})) if (c.port) ports.add(c.port);
  return [...ports].sort((a, b) => a - b);
}

/** The `FLY_*` variables a Fly machine sees, plus Hangar's release version; the config's own env wins where it sets the same name. */
export function machineEnv(input: ContainerInput): Record<string, string> {
  const metadata = input.config.metadata ?? {};
  const fly: Record<string, string> = {
    FLY_APP_NAME: input.app,
    FLY_MACHINE_ID: input.machineId,
    FLY_REGION: input.region,
    FLY_PROCESS_GROUP: metadata.fly_process_group ?? 'app',
    FLY_IMAGE_REF: input.config.image,
    FLY_MACHINE_VERSION: input.instanceId,
    PRIMARY_REGION: input.config.env?.PRIMARY_REGION ?? input.region,
    ...(metadata.fly_release_version ? { HANGAR_RELEASE_VERSION: metadata.fly_release_version } : {}),
  };
  return { ...fly, ...(input.config.env ?? {}) };
}

/** Seconds podman waits after the stop signal before it kills (`stop_config.timeout`, default 5 s as on Fly). */
export function stopTimeoutSeconds(config: MachineConfig): number {
  const ms = parseDurationMs(config.stop_config?.timeout) ?? 5000;
  return Math.max(0, Math.ceil(ms / 1000));
}

/**
 * The signal and grace period of a stop: what the stop asked for (`machine stop --signal --timeout`,
 * Fly's `StopRequest`) over the config's `stop_config` (default SIGINT, 5 s). `custom` when the signal
 * is not the one the container was created with (podman's own `stop` would send that one).
 */
export function stopPlan(config: MachineConfig, request: StopRequest | undefined): { signal: string; seconds: number; custom: boolean } {
  const configured = signalName(config.stop_config?.signal) ?? 'SIGINT';
  const signal = signalName(request?.signal) ?? configured;
  const askedMs = request?.timeout === undefined ? undefined : stopTimeoutMs(request.timeout);
  const seconds = askedMs === undefined ? stopTimeoutSeconds(config) : Math.ceil(askedMs / 1000);
  return { signal, seconds, custom: signal !== configured };
}

function signalName(signal: string | undefined): string | undefined {
  if (!signal?.trim()) return undefined;
  const upper = signal.trim().toUpperCase();
  return upper.startsWith('SIG') ? upper : `SIG${upper}`;
}

/** Variables podman itself needs from its environment: a machine's value for one of these goes on the command line instead. */
const PODMAN_OWN_ENV = new Set(['PATH', 'HOME', 'CONTAINERS_CONF', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'TMPDIR']);

/**
 * `podman create` arguments for a machine instance (the image and command last). The environment is
 * passed by name only (`--env NAME`) with the values in podman's own environment (`envOf`), so no
 * secret appears in a process listing; the few names podman itself reads go as `NAME=value`.
 */
export function createArgs(input: ContainerInput): string[] {
  const { config } = input;
  const args = [
    'create',
    '--name',
    containerName(input.fleetId, input.machineId, input.instanceId),
    '--label',
    `${LABELS.fleet}=${input.fleetId}`,
    '--label',
    `${LABELS.machine}=${input.machineId}`,
    '--label',
    `${LABELS.instance}=${input.instanceId}`,
    '--label',
    `${LABELS.app}=${input.app}`,
    '--stop-signal',
    config.stop_config?.signal ?? 'SIGINT',
    '--stop-timeout',
    String(stopTimeoutSeconds(config)),
    '--pull',
    'never',
  ];
  for (const [name, value] of Object.entries(machineEnv(input))) args.push('--env', PODMAN_OWN_ENV.has(name) ? `${name}=${value}` : name);
  for (const port of internalPorts(config)) args.push('--publish', `127.0.0.1::${port}`);
  for (const v of input.volumes) args.push('--volume', `${v.name}:${v.path}`);
  if (config.guest?.memory_mb) args.push('--memory', `${config.guest.memory_mb}m`);
  const entrypoint = config.init?.exec ?? config.init?.entrypoint;
  if (entrypoint && entrypoint.length > 0) args.push('--entrypoint', JSON.stringify(entrypoint));
  args.push(input.image);
  if (!config.init?.exec && config.init?.cmd) args.push(...config.init.cmd);
  return args;
}

/** The values behind `createArgs`' `--env NAME` flags, for the podman child's environment. */
export function envOf(input: ContainerInput): Record<string, string> {
  return Object.fromEntries(Object.entries(machineEnv(input)).filter(([name]) => !PODMAN_OWN_ENV.has(name)));
}
