import {
  mountsFor as mountConfigsFor,
  servicesFor,
  splitCommand,
  vmFor,
  type AppConfig,
  type CheckConfig,
  type ServiceConfig,
  type VmConfig,
} from '@hangar/app-config';
import type { MachineCheck, MachineConfig, MachineGuest, MachineMount, MachineService } from '@hangar/machines-api';
import type { ResolvedImage } from './release.events';

export type MachineConfigInput = {
  readonly config: AppConfig;
  readonly group: string;
  /** Canonical ref pinned by digest: `host/repo@sha256:…` or `host/repo:tag@sha256:…` (see `pinnedImageRef`). */
  readonly image: string;
  readonly releaseId: string;
  readonly releaseVersion: number;
  /** What the machine has today; a deploy keeps its guest (no `[[vm]]`) and its volumes. */
  readonly existing?: { readonly guest?: MachineGuest; readonly mounts?: readonly MachineMount[] };
};

/** `[[vm]] size` presets (Fly's machine sizes); the keys of the section override them. */
const GUEST_PRESETS: Readonly<Record<string, Required<MachineGuest>>> = {
  'shared-cpu-1x': { cpu_kind: 'shared', cpus: 1, memory_mb: 256 },
  'shared-cpu-2x': { cpu_kind: 'shared', cpus: 2, memory_mb: 512 },
  'shared-cpu-4x': { cpu_kind: 'shared', cpus: 4, memory_mb: 1024 },
  'shared-cpu-8x': { cpu_kind: 'shared', cpus: 8, memory_mb: 2048 },
  'performance-1x': { cpu_kind: 'performance', cpus: 1, memory_mb: 2048 },
  'performance-2x': { cpu_kind: 'performance', cpus: 2, memory_mb: 4096 },
  'performance-4x': { cpu_kind: 'performance', cpus: 4, memory_mb: 8192 },
  'performance-8x': { cpu_kind: 'performance', cpus: 8, memory_mb: 16384 },
  'performance-16x': { cpu_kind: 'performance', cpus: 16, memory_mb: 32768 },
};
const DEFAULT_GUEST_SIZE = 'shared-cpu-1x';
const DEFAULT_GUEST: Required<MachineGuest> = { cpu_kind: 'shared', cpus: 1, memory_mb: 256 };

/**
 * The full target config of one machine of `group` at this release (reference §1, §10, §11): what
 * machine-updater sends to the machines API. Pure and deterministic: the same input always gives a
 * deep-equal config, so a re-sent request is recognisable.
 */
export function machineConfigFor(input: MachineConfigInput): MachineConfig {
  const { config, group } = input;
  const command = config.processes[group] ?? '';
  const argv = command.trim() === '' ? [] : splitCommand(command);
  const services = servicesFor(config, group).map(toMachineService);
  const checks = topLevelChecksFor(config, group);
  const guest = guestFor(vmFor(config, group), input.existing?.guest);
  const mounts = mountsFor(config, group, input.existing?.mounts);
  const stop = stopConfigOf(config);
  return {
    image: input.image,
    env: {
      ...config.env,
      FLY_PROCESS_GROUP: group,
      ...(config.primaryRegion ? { PRIMARY_REGION: config.primaryRegion } : {}),
    },
    ...(argv.length > 0 ? { init: { cmd: argv } } : {}),
    ...(guest ? { guest } : {}),
    metadata: {
      fly_platform_version: 'v2',
      fly_process_group: group,
      fly_release_id: input.releaseId,
      fly_release_version: String(input.releaseVersion),
    },
    ...(mounts.length > 0 ? { mounts } : {}),
    ...(services.length > 0 ? { services } : {}),
    ...(checks.length > 0 ? { checks: Object.fromEntries(checks.map(([name, check]) => [name, toMachineCheck(check)])) } : {}),
    ...(stop ? { stop_config: stop } : {}),
  };
}

/** `host/repo:tag` + digest → `host/repo:tag@sha256:…`, so every machine runs exactly the resolved image. */
export function pinnedImageRef(image: Pick<ResolvedImage, 'canonicalRef' | 'digest'>): string {
  return image.canonicalRef.includes('@') ? image.canonicalRef : `${image.canonicalRef}@${image.digest}`;
}

/** Milliseconds → a Go `time.ParseDuration` string, largest whole unit: `5m`, `10s`, `1500ms`. */
export function goDuration(ms: number): string {
  const whole = Math.round(ms);
  if (whole !== 0 && whole % 3_600_000 === 0) return `${whole / 3_600_000}h`;
  if (whole !== 0 && whole % 60_000 === 0) return `${whole / 60_000}m`;
  if (whole % 1000 === 0) return `${whole / 1000}s`;
  return `${whole}ms`;
}

function toMachineService(service: ServiceConfig): MachineService {
  return {
    protocol: service.protocol,
    internal_port: service.internalPort,
    ports: service.ports.map((p) =>
      definedOnly({ port: p.port, start_port: p.startPort, end_port: p.endPort, handlers: p.handlers, force_https: p.forceHttps }),
    ),
    ...(service.checks.length > 0 ? { checks: service.checks.map(toMachineCheck) } : {}),
    ...definedOnly({
      autostop: service.autoStopMachines,
      autostart: service.autoStartMachines,
      min_machines_running: service.minMachinesRunning,
    }),
  };
}

function toMachineCheck(check: CheckConfig): MachineCheck {
  return {
    type: check.type,
    ...definedOnly({
      port: check.port,
      interval: check.intervalMs === undefined ? undefined : goDuration(check.intervalMs),
      timeout: check.timeoutMs === undefined ? undefined : goDuration(check.timeoutMs),
      grace_period: check.gracePeriodMs === undefined ? undefined : goDuration(check.gracePeriodMs),
      method: check.method,
      path: check.path,
    }),
  };
}

/** With no `[[vm]]` for the group a deploy keeps each machine's guest (reference §10). */
function guestFor(vm: VmConfig | undefined, existing: MachineGuest | undefined): MachineGuest | undefined {
  if (!vm) return existing ? { ...existing } : undefined;
  // An unknown size falls back to the default rather than failing a release the config validator let through.
  const base = GUEST_PRESETS[vm.size ?? DEFAULT_GUEST_SIZE] ?? DEFAULT_GUEST;
  return { cpu_kind: vm.cpuKind ?? base.cpu_kind, cpus: vm.cpus ?? base.cpus, memory_mb: vm.memoryMb ?? base.memory_mb };
}

/**
 * A machine keeps its volumes; only the mount path follows `[mounts] destination` (DESIGN §6.4).
 * A new machine of a group with `[mounts]` asks for a volume named `source`.
 */
function mountsFor(config: AppConfig, group: string, existing: readonly MachineMount[] | undefined): MachineMount[] {
  const mount = mountConfigsFor(config, group)[0];
  if (existing && existing.length > 0) {
    return existing.map((m) => (mount ? { ...m, path: mount.destination } : { ...m }));
  }
  return mount ? [{ name: mount.source, path: mount.destination }] : [];
}

function stopConfigOf(config: AppConfig): MachineConfig['stop_config'] | undefined {
  if (config.killSignal === undefined && config.killTimeoutMs === undefined) return undefined;
  return definedOnly({
    signal: config.killSignal,
    timeout: config.killTimeoutMs === undefined ? undefined : goDuration(config.killTimeoutMs),
  });
}

/** Top-level `[checks]` of the group, by name (service checks live in each service). */
function topLevelChecksFor(config: AppConfig, group: string): [string, CheckConfig][] {
  return Object.entries(config.checks)
    .filter(([, check]) => !check.processes || check.processes.length === 0 || check.processes.includes(group))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Drops `undefined` values so configs compare and serialise the same whether a key is absent or unset. */
function definedOnly<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
