import type { AppConfig, BuildConfig, DeployConfig, DeployStrategy, MountConfig, VmConfig } from './app-config.types';
import { APP_NAME_PATTERN } from '@hangar/contracts';
import { compact, describeValue, oneOf, UNUSED_KEY, type Section } from './config-reader';
import { readTopLevelChecks } from './normalize-checks';
import { checkCommand, readEnv, readProcesses } from './normalize-env-processes';
import { readServices } from './normalize-services';
import type { Provenance } from './provenance';
import { joinCommand } from './split-command';

/** Valid `[deploy].strategy` values, in the order error messages list them. */
export const DEPLOY_STRATEGIES: readonly DeployStrategy[] = ['rolling', 'immediate', 'canary', 'bluegreen'];

/** Signals flyctl accepts for `kill_signal`. */
export const KILL_SIGNALS = [
  'SIGABRT', 'SIGALRM', 'SIGFPE', 'SIGHUP', 'SIGILL', 'SIGINT', 'SIGKILL',
  'SIGPIPE', 'SIGQUIT', 'SIGSEGV', 'SIGTERM', 'SIGTRAP', 'SIGUSR1', 'SIGUSR2',
] as const;

/** Top-level keys flyctl knows that Hangar does not act on. */
const IGNORED_TOP_LEVEL = [
  'swap_size_mb', 'console_command', 'host_dedication_id', 'restart', 'files', 'statics',
  'metrics', 'metric', 'machine_checks', 'machine_config', 'container', 'containers',
];

export interface NormalizedAppConfig {
  config: AppConfig;
  provenance: Provenance;
  /** Whether the file has a non-empty `[processes]`, which makes `processes` mandatory on services. */
  processesDefined: boolean;
}

function readApp(root: Section): string | undefined {
  const app = root.string('app');
  if (app === undefined || APP_NAME_PATTERN.test(app)) return app;
  root.error('app', `must be 1-63 lowercase letters, digits or dashes, starting with a letter; got ${describeValue(app)}`);
  return undefined;
}

function readBuild(root: Section): BuildConfig | undefined {
  const section = root.table('build');
  if (!section) return undefined;
  const build = compact({
    image: section.string('image'),
    dockerfile: section.string('dockerfile'),
    builder: section.string('builder'),
    args: section.stringMap('args'),
  });
  section.ignore('ignorefile', 'build-target', 'build_target', 'buildpacks', 'builtin', 'settings', 'compression', 'compression_level', 'compose');
  section.finish();
  return Object.keys(build).length > 0 ? build : undefined;
}

function readMaxUnavailable(section: Section): number | undefined {
  const value = section.value('max_unavailable');
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  section.error('max_unavailable', `must be a number greater than 0; got ${describeValue(value)}`);
  return undefined;
}

function readReleaseCommandTimeout(section: Section): number | null | undefined {
  const value = section.raw['release_command_timeout'];
  if (typeof value === 'string' && value.trim().toLowerCase() === 'none') {
    section.value('release_command_timeout');
    return null;
  }
  return section.duration('release_command_timeout', 'strict');
}

function readDeploy(root: Section, legacyAutoRollback: boolean | undefined): DeployConfig | undefined {
  const section = root.table('deploy');
  const deploy: DeployConfig = section
    ? compact({
        strategy: oneOf(section, 'strategy', DEPLOY_STRATEGIES),
        maxUnavailable: readMaxUnavailable(section),
        waitTimeoutMs: section.duration('wait_timeout', 'strict'),
        releaseCommand: section.string('release_command'),
        releaseCommandTimeoutMs: readReleaseCommandTimeout(section),
        autoRollback: section.boolean('auto_rollback'),
      })
    : {};
  if (section && deploy.releaseCommand !== undefined) checkCommand(section, 'release_command', deploy.releaseCommand);
  section?.ignore('release_command_vm', 'seed_command');
  section?.finish();
  if (deploy.autoRollback === undefined && legacyAutoRollback !== undefined) deploy.autoRollback = legacyAutoRollback;
  return Object.keys(deploy).length > 0 ? deploy : undefined;
}

function readMounts(root: Section, prov: Provenance): MountConfig[] {
  // `mount` is the singular spelling older files use; flyctl's `patchMounts` lists it first.
  const sections = [...root.tables('mount'), ...root.tables('mounts')];
  return sections.flatMap((section) => {
    const source = section.string('source');
    const destination = section.string('destination');
    for (const key of ['source', 'destination']) if (!section.has(key)) section.error(key, 'is required');
    if (destination === '/') section.error('destination', 'must not be "/"');
    const size = section.value('initial_size');
    const initialSize = typeof size === 'number' ? `${size}gb` : typeof size === 'string' ? size : undefined;
    if (size !== undefined && initialSize === undefined) section.error('initial_size', `must be a size like "10gb"; got ${describeValue(size)}`);
    const processes = section.stringList('processes');
    prov.scoped.push({ kind: 'mount', path: section.path, processes });
    section.ignore('snapshot_retention', 'scheduled_snapshots', 'auto_extend_size_threshold', 'auto_extend_size_increment', 'auto_extend_size_limit');
    section.finish();
    if (source === undefined || destination === undefined) return [];
    const mount: MountConfig = compact({ source, destination, processes, initialSize });
    prov.origins.set(mount, section.path);
    return [mount];
  });
}

/** `"1gb"`, `"512mb"`, `"2048"` or `2048` → MiB; bare numbers are MiB as flyctl reads them. */
function readMemoryMb(section: Section): number | undefined {
  const value = section.value('memory');
  if (section.has('memory_mb')) return section.integer('memory_mb', 1);
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(gb|g|gib|mb|m|mib)?\s*$/i.exec(value) : null;
  if (match) return Math.round(Number(match[1]) * (match[2] && match[2].toLowerCase().startsWith('g') ? 1024 : 1));
  section.error('memory', `must be a memory size like "512mb" or "1gb"; got ${describeValue(value)}`);
  return undefined;
}

/** `[[vm]]`, after the `[[compute]]` and `[[computes]]` spellings flyctl's `patchCompute` merges into it. */
function readVms(root: Section, prov: Provenance): VmConfig[] {
  return ['compute', 'computes', 'vm'].flatMap((key) => root.tables(key)).map((section) => {
    const vm: VmConfig = compact({
      size: section.string('size'),
      memoryMb: readMemoryMb(section),
      cpus: section.integer('cpus', 1),
      cpuKind: section.string('cpu_kind'),
      processes: section.stringList('processes'),
    });
    prov.scoped.push({ kind: 'vm', path: section.path, processes: vm.processes });
    section.ignore('gpus', 'gpu_kind', 'host_dedication_id', 'persist_rootfs', 'kernel_args');
    section.finish();
    prov.origins.set(vm, section.path);
    return vm;
  });
}

interface LegacyExperimental {
  cmd?: string;
  killTimeoutMs?: number;
  autoRollback?: boolean;
}

/**
 * `[experimental]` as flyctl's `patchExperimental` reads it: `cmd` (a string is one argv element, a
 * list the argv) becomes the `app` command when there is no `[processes]`, `kill_timeout` (bare
 * numbers in seconds) the top-level one when none is set there, `auto_rollback` the `[deploy]`
 * default. `entrypoint` and `exec` must be a string or a list of strings, and are not used.
 */
function readExperimental(root: Section, processesDefined: boolean): LegacyExperimental {
  const section = root.table('experimental');
  if (!section) return {};
  const raw = section.raw['cmd'];
  const argv = section.stringList('cmd');
  const cmd = argv && joinCommand(argv);
  if (typeof raw === 'string' && /\s/.test(raw.trim())) {
    section.issues.warn(section.at('cmd'), `a string is one argument, as flyctl passes it: ${JSON.stringify(raw)} names one program; write a list to split it`);
  }
  // flyctl only falls back to `cmd` when there is no [processes]; say so rather than fail.
  if (cmd !== undefined && processesDefined) section.issues.warn(section.at('cmd'), 'ignored because [processes] is defined');
  const killTimeoutMs = section.duration('kill_timeout', 'seconds');
  if (section.has('kill_timeout') && root.has('kill_timeout')) section.issues.warn(section.at('kill_timeout'), 'ignored because kill_timeout is set at the top level');
  const autoRollback = section.boolean('auto_rollback');
  for (const key of ['entrypoint', 'exec']) if (section.stringList(key) !== undefined) section.issues.warn(section.at(key), UNUSED_KEY);
  section.ignore(
    'allowed_public_ports', 'private_network', 'enable_consul', 'enable_etcd',
    'lazy_load_images', 'attached', 'machine_config', 'use_zstd', 'metrics_port', 'metrics_path',
  );
  section.finish();
  if (Object.keys(section.raw).length > 0) {
    root.issues.warn(section.path, 'legacy section: put cmd in [processes], kill_timeout at the top level and auto_rollback in [deploy]');
  }
  return compact({ cmd: processesDefined ? undefined : cmd, killTimeoutMs: root.has('kill_timeout') ? undefined : killTimeoutMs, autoRollback });
}

/** Reads the whole document into an `AppConfig`, reporting field-level problems as it goes. */
export function normalizeAppConfig(root: Section): NormalizedAppConfig {
  const prov: Provenance = { origins: new WeakMap(), scoped: [] };
  const app = readApp(root);
  const primaryRegion = root.string('primary_region');
  const killSignal = oneOf(root, 'kill_signal', KILL_SIGNALS);
  // A bare number is seconds here (flyctl `patchTopFields`), unlike in checks.
  const topKillTimeoutMs = root.duration('kill_timeout', 'seconds');
  const declared = readProcesses(root);
  const experimental = readExperimental(root, declared !== undefined);
  const killTimeoutMs = topKillTimeoutMs ?? experimental.killTimeoutMs;
  const build = readBuild(root);
  const deploy = readDeploy(root, experimental.autoRollback);
  const env = readEnv(root);
  const mounts = readMounts(root, prov);
  const { services, httpServicePort } = readServices(root, prov);
  const checks = readTopLevelChecks(root, httpServicePort, prov);
  const vm = readVms(root, prov);
  root.ignore(...IGNORED_TOP_LEVEL);
  root.finish();
  const processes = declared ?? { app: experimental.cmd ?? '' };
  const config: AppConfig = compact({
    app, primaryRegion, killSignal, killTimeoutMs, build, deploy, env, processes, mounts, services, checks, vm,
    warnings: root.issues.warnings,
  });
  return { config, provenance: prov, processesDefined: declared !== undefined };
}
