/**
 * The normalised app config (DESIGN §6.1). `hangar config validate --json` prints exactly this
 * shape: camelCase keys, durations in milliseconds, absent optional values omitted.
 */

export type DeployStrategy = 'rolling' | 'immediate' | 'canary' | 'bluegreen';

export interface BuildConfig {
  image?: string;
  dockerfile?: string;
  builder?: string;
  args?: Record<string, string>;
}

export interface DeployConfig {
  strategy?: DeployStrategy;
  /** ≥ 1 a machine count, in (0, 1) a fraction of started machines. */
  maxUnavailable?: number;
  waitTimeoutMs?: number;
  releaseCommand?: string;
  /** `null` when the file says `"none"` (no limit). */
  releaseCommandTimeoutMs?: number | null;
  autoRollback?: boolean;
}

export interface MountConfig {
  source: string;
  destination: string;
  processes?: string[];
  initialSize?: string;
}

export interface CheckConfig {
  name?: string;
  type: 'http' | 'tcp';
  port?: number;
  intervalMs?: number;
  timeoutMs?: number;
  gracePeriodMs?: number;
  method?: string;
  path?: string;
  protocol?: string;
  headers?: Record<string, string>;
  tlsSkipVerify?: boolean;
  tlsServerName?: string;
  /** Top-level checks only: the groups the check runs in (all when absent). */
  processes?: string[];
}

export interface ServicePortConfig {
  port?: number;
  startPort?: number;
  endPort?: number;
  handlers?: string[];
  forceHttps?: boolean;
}

export interface ServiceConfig {
  protocol: 'tcp' | 'udp';
  internalPort: number;
  ports: ServicePortConfig[];
  processes?: string[];
  autoStopMachines?: 'off' | 'stop' | 'suspend';
  autoStartMachines?: boolean;
  minMachinesRunning?: number;
  concurrency?: { type?: 'connections' | 'requests'; softLimit?: number; hardLimit?: number };
  checks: CheckConfig[];
}

export interface VmConfig {
  size?: string;
  memoryMb?: number;
  cpus?: number;
  cpuKind?: string;
  processes?: string[];
}

export interface ConfigWarning {
  path: string;
  message: string;
}

export interface AppConfig {
  app?: string;
  primaryRegion?: string;
  killSignal?: string;
  killTimeoutMs?: number;
  build?: BuildConfig;
  deploy?: DeployConfig;
  env: Record<string, string>;
  /** Group name → command; `{ app: "" }` when the file has no `[processes]`. */
  processes: Record<string, string>;
  mounts: MountConfig[];
  services: ServiceConfig[];
  /** Top-level `[checks]`, keyed by name. */
  checks: Record<string, CheckConfig>;
  vm: VmConfig[];
  warnings: ConfigWarning[];
}

/** One problem in a config file; `line` is 1-based, absent when the key has no source position. */
export interface ConfigIssue {
  path: string;
  line?: number;
  message: string;
}
