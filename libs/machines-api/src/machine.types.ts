/**
 * Wire types of the Fly Machines REST API subset Hangar uses (reference/flyctl-deploy.md §11).
 * snake_case on purpose: these are the JSON bodies exchanged with the real API and with fleet.
 */

export type MachineState =
  | 'created'
  | 'starting'
  | 'started'
  | 'stopping'
  | 'stopped'
  | 'replacing'
  | 'destroying'
  | 'destroyed'
  | 'failed'
  /** Fly: the machine's memory was snapshotted (`POST …/suspend`, or autostop `suspend`); `start` resumes it. */
  | 'suspended';

export interface MachineGuest {
  cpu_kind?: string;
  cpus?: number;
  memory_mb?: number;
}

export interface MachineMount {
  volume?: string;
  path: string;
  name?: string;
}

export interface MachinePort {
  port?: number;
  start_port?: number;
  end_port?: number;
  handlers?: string[];
  force_https?: boolean;
}

export interface MachineCheck {
  type: 'http' | 'tcp';
  port?: number;
  interval?: string;
  timeout?: string;
  grace_period?: string;
  method?: string;
  path?: string;
}

export interface MachineService {
  protocol: 'tcp' | 'udp';
  internal_port: number;
  ports?: MachinePort[];
  checks?: MachineCheck[];
  autostop?: boolean | string;
  autostart?: boolean;
  min_machines_running?: number;
}

export interface MachineConfig {
  image: string;
  env?: Record<string, string>;
  init?: { cmd?: string[]; entrypoint?: string[]; exec?: string[] };
  guest?: MachineGuest;
  metadata?: Record<string, string>;
  mounts?: MachineMount[];
  services?: MachineService[];
  checks?: Record<string, MachineCheck>;
  restart?: { policy: 'no' | 'always' | 'on-failure'; max_retries?: number };
  auto_destroy?: boolean;
  stop_config?: { signal?: string; timeout?: string };
  dns?: { skip_registration?: boolean };
}

/** fly-go `MachineExitEvent`: Go's `omitempty` drops a zero `exit_code`, so an absent code means 0. */
export interface MachineExitEvent {
  exit_code?: number;
  guest_exit_code?: number;
  guest_signal?: number;
  oom_killed?: boolean;
  requested_stop?: boolean;
  restarting?: boolean;
  signal?: number;
  exited_at?: string;
}

/**
 * fly-go `MachineRequest`: newer flyd reports the exit under `MonitorEvent.exit_event`, older under
 * `exit_event`; fly-go's `GetExitCode` prefers the former (read it with `exitCodeOf`).
 */
export interface MachineEventRequest {
  exit_event?: MachineExitEvent;
  MonitorEvent?: { exit_event?: MachineExitEvent };
  restart_count?: number;
  instance_id?: string;
  [k: string]: unknown;
}

export interface MachineEvent {
  type: 'launch' | 'update' | 'start' | 'stop' | 'exit' | 'destroy' | string;
  status: string;
  source: string;
  timestamp: number;
  request?: MachineEventRequest;
}

export interface MachineCheckStatus {
  name: string;
  status: 'passing' | 'warning' | 'critical';
  output: string;
  updated_at: string;
}

export interface Machine {
  id: string;
  name: string;
  state: MachineState;
  region: string;
  instance_id: string;
  private_ip?: string;
  /**
   * The machine's config. On the wire Fly leaves it out when `host_status` is not `ok`; the client
   * fills it from `incomplete_config` (`withUsableConfig`), so code can always read it.
   */
  config: MachineConfig;
  /** Fly: a partial config rebuilt from other sources when the host is unreachable; never to be sent back. */
  incomplete_config?: Partial<MachineConfig>;
  image_ref?: { registry: string; repository: string; tag: string; digest: string };
  created_at: string;
  updated_at: string;
  events?: MachineEvent[];
  checks?: MachineCheckStatus[];
  cordoned?: boolean;
  host_status?: 'ok' | 'unknown' | 'unreachable';
  nonce?: string;
  /** fleet's podman runtime only (not Fly): internal port → the host port it is published on, at `private_ip`. */
  host_ports?: Record<string, number>;
}

/** Body of `POST /v1/apps/:app/machines` and `POST /v1/apps/:app/machines/:id`. */
export interface LaunchMachineInput {
  config: MachineConfig;
  region?: string;
  name?: string;
  skip_launch?: boolean;
  /**
   * Launch the machine without registering its services with the proxy (fly-go
   * `SkipServiceRegistration`): it takes no traffic until uncordoned. flyctl's bluegreen creates greens so.
   */
  skip_service_registration?: boolean;
  lease_ttl?: number;
}

/** What `stop` and `restart` send (Fly's `StopRequest`): the signal, and how long to wait after it before SIGKILL. */
export interface StopOptions {
  /** `SIGINT`, `SIGTERM`, …; absent: the machine's `stop_config.signal` (default SIGINT). */
  signal?: string;
  /** A Go duration (`"30s"`); absent: the machine's `stop_config.timeout` (default 5s). */
  timeout?: string;
}

export interface Lease {
  nonce: string;
  /** Unix time in seconds, as the Fly API returns it. */
  expires_at: number;
  owner: string;
  description?: string;
  version?: string;
}

export interface Volume {
  id: string;
  name: string;
  region: string;
  size_gb: number;
  state: string;
  attached_machine_id: string | null;
  created_at: string;
}

/** An app of the Machines API (`GET /v1/apps/:app`, fly-go `flaps.App`): the fields Hangar reads. */
export interface ProviderApp {
  name: string;
  organization?: { slug: string; name?: string };
  status?: string;
}

/** `flaps.IPAssignment`: an address Fly.io assigned to the app (`GET|POST /v1/apps/:app/ip_assignments`). */
export interface IpAssignment {
  ip: string;
  region?: string;
  service_name?: string;
  shared: boolean;
  created_at: string;
}

/**
 * `flaps.AssignIPRequest`: `type` is `v4` (dedicated), `shared_v4`, `v6` or `private_v6`; the other
 * fields are optional (flyctl sends them empty for a public address).
 */
export interface AssignIpInput {
  type: 'v4' | 'shared_v4' | 'v6' | 'private_v6';
  region?: string;
  org_slug?: string;
  network?: string;
  service_name?: string;
}

/** Metadata keys deploy writes (reference §1). */
export const MetadataKeys = {
  platformVersion: 'fly_platform_version',
  processGroup: 'fly_process_group',
  releaseId: 'fly_release_id',
  releaseVersion: 'fly_release_version',
} as const;
