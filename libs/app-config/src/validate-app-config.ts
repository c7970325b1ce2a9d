import type { AppConfig } from './app-config.types';
import type { IssueCollector } from './config-reader';
import type { NormalizedAppConfig } from './normalize-app-config';

/** Strategies that start extra machines next to the old ones, which a volume cannot follow. */
const STRATEGIES_WITHOUT_MOUNTS = ['canary', 'bluegreen'];

function appliesTo(processes: readonly string[] | undefined, group: string): boolean {
  return !processes || processes.length === 0 || processes.includes(group);
}

function checkGroupReferences(normalized: NormalizedAppConfig, issues: IssueCollector): void {
  const groups = Object.keys(normalized.config.processes).sort();
  for (const { path, processes } of normalized.provenance.scoped) {
    for (const group of processes ?? []) {
      if (!groups.includes(group)) {
        issues.error([...path, 'processes'], `refers to process group '${group}', which is not defined in [processes] (groups: ${groups.join(', ')})`);
      }
    }
  }
}

function checkServicesNameGroups(normalized: NormalizedAppConfig, issues: IssueCollector): void {
  if (!normalized.processesDefined) return;
  for (const { kind, path, processes } of normalized.provenance.scoped) {
    if (kind === 'service' && (!processes || processes.length === 0)) {
      issues.error([...path, 'processes'], 'is required once [processes] is defined: name the groups this service runs in');
    }
  }
}

function checkOneMountPerGroup(normalized: NormalizedAppConfig, issues: IssueCollector): void {
  const { config } = normalized;
  for (const group of Object.keys(config.processes)) {
    const mounts = config.mounts.filter((m) => appliesTo(m.processes, group));
    for (const extra of mounts.slice(1)) {
      const path = normalized.provenance.origins.get(extra);
      if (path) issues.error(path, `group '${group}' has more than one [[mounts]] section defined`);
    }
  }
}

function hasAnyCheck(config: AppConfig): boolean {
  return Object.keys(config.checks).length > 0 || config.services.some((s) => s.checks.length > 0);
}

function checkStrategy(config: AppConfig, issues: IssueCollector): void {
  const strategy = config.deploy?.strategy;
  if (strategy === undefined) return;
  if (STRATEGIES_WITHOUT_MOUNTS.includes(strategy) && config.mounts.length > 0) {
    issues.error(['deploy', 'strategy'], `${strategy} is not allowed with [mounts]`);
  }
  // Greens are judged healthy by their checks alone; without one, bluegreen would swap blindly.
  if (strategy === 'bluegreen' && !hasAnyCheck(config)) {
    issues.error(['deploy', 'strategy'], 'bluegreen requires at least one health check ([checks] or a service check)');
  }
}

/**
 * The rules that span sections (DESIGN §6.1, flyctl `validation.go`): process-group references,
 * services naming their groups, one mount per group, strategies that cannot work with volumes.
 * Field-level rules were already applied while reading; every problem is collected, none stops the rest.
 */
export function validateAppConfig(normalized: NormalizedAppConfig, issues: IssueCollector): void {
  checkGroupReferences(normalized, issues);
  checkServicesNameGroups(normalized, issues);
  checkOneMountPerGroup(normalized, issues);
  checkStrategy(normalized.config, issues);
}
