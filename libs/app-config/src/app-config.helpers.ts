import type { AppConfig, CheckConfig, MountConfig, ServiceConfig, VmConfig } from './app-config.types';

/** The group name flyctl uses when a file has no `[processes]`. */
export const DEFAULT_PROCESS_GROUP = 'app';

/** Items without `processes` (or with an empty list) apply to every group, as in flyctl. */
function appliesTo(item: { processes?: string[] }, group: string): boolean {
  return !item.processes || item.processes.length === 0 || item.processes.includes(group);
}

/** The app's process groups, sorted by name (`['app']` when the file has no `[processes]`). */
export function processGroupsOf(config: AppConfig): string[] {
  return Object.keys(config.processes).sort();
}

/** The group flyctl treats as default: `app` when it exists, else the first name in sorted order. */
export function defaultProcessGroup(config: AppConfig): string {
  const groups = processGroupsOf(config);
  return groups.includes(DEFAULT_PROCESS_GROUP) ? DEFAULT_PROCESS_GROUP : groups[0];
}

/** Services (including the expanded `[http_service]`) that run in `group`. */
export function servicesFor(config: AppConfig, group: string): ServiceConfig[] {
  return config.services.filter((s) => appliesTo(s, group));
}

/** `true` when at least one service runs in `group` (such groups get two machines on first deploy). */
export function hasServices(config: AppConfig, group: string): boolean {
  return servicesFor(config, group).length > 0;
}

/** Mounts of `group`: at most one once the config is valid. */
export function mountsFor(config: AppConfig, group: string): MountConfig[] {
  return config.mounts.filter((m) => appliesTo(m, group));
}

/**
 * Health checks a machine of `group` runs: top-level `[checks]` scoped by `processes` (each with its
 * `name` filled in from its key), then the checks of the group's services.
 */
export function checksFor(config: AppConfig, group: string): CheckConfig[] {
  const topLevel = Object.entries(config.checks)
    .filter(([, check]) => appliesTo(check, group))
    .map(([name, check]) => ({ name, ...check }));
  return [...topLevel, ...servicesFor(config, group).flatMap((s) => s.checks)];
}

/**
 * The `[[vm]]` entry for `group`: the first one naming it, else the first one naming no group;
 * `undefined` means "keep each machine's existing guest" (reference §10).
 */
export function vmFor(config: AppConfig, group: string): VmConfig | undefined {
  return config.vm.find((v) => v.processes?.includes(group)) ?? config.vm.find((v) => !v.processes || v.processes.length === 0);
}

function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, withoutUndefined(v)]),
    );
  }
  return value;
}

/**
 * The object `hangar config validate --json` prints (DESIGN §6.1): top-level keys in the contract's
 * order (`app, primaryRegion, killSignal, killTimeoutMs, build, deploy, env, processes, mounts,
 * services, checks, vm, warnings`), absent optional values omitted at every level.
 */
export function toJsonContract(config: AppConfig): AppConfig {
  const ordered: AppConfig = {
    app: config.app,
    primaryRegion: config.primaryRegion,
    killSignal: config.killSignal,
    killTimeoutMs: config.killTimeoutMs,
    build: config.build,
    deploy: config.deploy,
    env: config.env,
    processes: config.processes,
    mounts: config.mounts,
    services: config.services,
    checks: config.checks,
    vm: config.vm,
    warnings: config.warnings,
  };
  return withoutUndefined(ordered) as AppConfig;
}
