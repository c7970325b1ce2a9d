import type { AssignIpInput, IpAssignment, Lease, LaunchMachineInput, Machine, MachineState, ProviderApp, StopOptions, Volume } from './machine.types';

/**
 * A machine's output, or why there is none to show: `available: false` is never "it printed
 * nothing" (a route the provider lacks, a token that may not read logs).
 */
export type MachineLogs = { readonly available: true; readonly lines: string[] } | { readonly available: false; readonly reason: string };

/**
 * A typed client of the Fly Machines REST API: the real one or the local fleet (DESIGN §8a).
 * Idempotent calls (GETs, wait, lease release, destroy of an absent machine) are retried on
 * 408/429/5xx and transport errors; non-idempotent ones carry an idempotency key or a lease nonce.
 */
export interface MachinesApi {
  /**
   * Creates the provider's app in `orgSlug` (Hangar does this once, at `apps create`; never on the
   * machine path). An app of that name the token can read counts as there already: `created: false`.
   */
  createApp(app: string, orgSlug: string): Promise<{ app: ProviderApp; created: boolean }>;
  /** `GET /v1/apps/:app`; a 404 (or 403: another org's app) throws `MACHINE.NOT_FOUND` / `API_ERROR`. */
  getApp(app: string): Promise<ProviderApp>;
  /** Fly's IP assignments API (`GET /v1/apps/:app/ip_assignments`): the app's public and private addresses. */
  listIpAssignments(app: string): Promise<IpAssignment[]>;
  /** `POST /v1/apps/:app/ip_assignments`: assigns a new address (or the shared IPv4) to the app. */
  assignIp(app: string, input: AssignIpInput): Promise<IpAssignment>;
  /** `DELETE /v1/apps/:app/ip_assignments/:ip`; an address already gone counts as released on a retry. */
  deleteIpAssignment(app: string, ip: string): Promise<void>;
  list(app: string): Promise<Machine[]>;
  get(app: string, id: string): Promise<Machine>;
  /**
   * `idempotencyKey` (stored in config metadata) makes a retried create return the machine the first
   * attempt made; `opts.resumed` looks for it before the first attempt too (an earlier run may have sent it).
   */
  create(app: string, input: LaunchMachineInput, idempotencyKey?: string, opts?: { resumed?: boolean }): Promise<Machine>;
  update(app: string, id: string, input: LaunchMachineInput, nonce?: string): Promise<Machine>;
  destroy(app: string, id: string, opts?: { nonce?: string; force?: boolean }): Promise<void>;
  /** `nonce` is the lease's, when the caller holds one (Fly refuses a leased machine's start without it). */
  start(app: string, id: string, nonce?: string): Promise<void>;
  /** `opts.signal` / `opts.timeout` override the machine's `stop_config` for this stop. */
  stop(app: string, id: string, nonce?: string, opts?: StopOptions): Promise<void>;
  /** Stops the machine (with `opts` as {@link stop} does) and starts it again, keeping its instance. */
  restart(app: string, id: string, nonce?: string, opts?: StopOptions): Promise<void>;
  cordon(app: string, id: string, nonce?: string): Promise<void>;
  uncordon(app: string, id: string, nonce?: string): Promise<void>;
  /** Resolves when the machine reaches `state` (with `instanceId` when given); throws a timeout error otherwise. */
  wait(app: string, id: string, opts: { state: MachineState; instanceId?: string; timeoutSec: number }): Promise<void>;
  acquireLease(app: string, id: string, ttlSec: number, description?: string): Promise<Lease>;
  refreshLease(app: string, id: string, nonce: string, ttlSec: number): Promise<Lease>;
  releaseLease(app: string, id: string, nonce: string): Promise<void>;
  setMetadata(app: string, id: string, key: string, value: string, nonce?: string): Promise<void>;
  listVolumes(app: string): Promise<Volume[]>;
  createVolume(app: string, input: { name: string; region?: string; size_gb?: number }): Promise<Volume>;
  /** `DELETE /v1/apps/:app/volumes/:id`: the volume and its data go; refused while a live machine has it attached. A retry finding it gone is success. */
  destroyVolume(app: string, id: string): Promise<void>;
  /**
   * The machine's log lines, oldest first: from fleet's `GET /fleet/v1/…/logs`, or on Fly from its
   * logs API as flyctl reads them. Never throws: what cannot be read says why.
   */
  logs?(app: string, id: string): Promise<MachineLogs>;
}
