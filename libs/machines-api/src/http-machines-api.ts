import type { AssignIpInput, IpAssignment, Lease, LaunchMachineInput, Machine, MachineState, ProviderApp, StopOptions, Volume } from './machine.types';
import type { MachineLogs, MachinesApi } from './machines-api';
import { FlyLogsReader } from './fly-logs-reader';
import { MachinesApiError, MachinesApiErrorCodes } from './machines-api.error';
import { authorizationHeader } from './auth-scheme';
import { attemptRequest, describeTransportError, sleep, type AttemptOutcome } from './http-attempt';
import { withUsableConfig } from './partial-machine';
import { RateGate, rateKey } from './rate-gate';
import { DEFAULT_RETRY, backoffDelay, isRetryable, type AttemptFailure, type RetryClass, type RetryOptions } from './retry-policy';

/**
 * Config metadata key carrying the key of the operation that created a machine (Hangar's
 * `<release>:create:<group>:<n>`, …). The Fly Machines API has no idempotency for creates (an
 * `Idempotency-Key` header is ignored), so a create whose outcome is unknown is made safe the way
 * flyctl's bluegreen does it with `fly_flyctl_bluegreen_launch_id`: look for a machine carrying the
 * key before creating again.
 */
export const IDEMPOTENCY_METADATA_KEY = 'hangar_idempotency_key';

/** The lease nonce header of the Fly Machines API. */
export const LEASE_NONCE_HEADER = 'fly-machine-lease-nonce';

/** Who serves the API: the local fleet, or Fly.io (where fleet-only routes do not exist). */
export type MachinesProvider = 'fleet' | 'fly';

export interface HttpMachinesApiOptions {
  /** Default `fleet`; `fly` reads machine logs from Fly's logs API instead of fleet's route. */
  provider?: MachinesProvider;
  /** `fly` only: Fly's platform API for logs; default `https://api.fly.io`. */
  flyApiUrl?: string;
  /** `https://api.machines.dev` or the local fleet (`http://127.0.0.1:4281`); paths go under `/v1`. */
  baseUrl: string;
  /**
   * Sent as `Authorization: FlyV1 <macaroons>` for Fly macaroon tokens (`fm1r_`, `fm1a_`, `fm2_`, with
   * or without a `FlyV1 ` prefix), else `Bearer <token>`, as fly-go does ({@link authorizationHeader}).
   */
  token?: string;
  /** Budget of one HTTP request in ms (a wait call gets its own wait time on top); default 30 000. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** Jitter source, injectable so tests can pin delays; default `Math.random`. */
  random?: () => number;
  /**
   * How long one call keeps retrying while it is answered 429, in ms; default 60 000 (fly-go's
   * `flaps.Retry` gives up after one minute). A 429 means the request was turned away before it
   * ran, so it is retried whatever the call, waiting the `Retry-After` the API sent.
   */
  rateLimitBudgetMs?: number;
}

interface CallOptions {
  body?: unknown;
  nonce?: string;
  headers?: Record<string, string>;
  retry: RetryClass;
  timeoutMs?: number;
  /** Non-2xx statuses the caller handles itself instead of an error (e.g. 408 from wait). */
  accept?: (status: number, attempt: number, apiMessage: string | undefined) => boolean;
  /** Runs before each retry; a value it returns ends the call with that value. */
  beforeRetry?: () => Promise<unknown>;
}

interface CallResult {
  status: number;
  body: unknown;
}

/** Longest server-side hold of one wait request the API allows, in seconds (fly-go `proxyTimeoutThreshold`). */
export const MAX_WAIT_SEC = 60;
/** Longest a single `Retry-After` is honoured before the call's own budget decides, ms. */
const MAX_RETRY_AFTER_MS = 60_000;
const EARLY_TIMEOUT_PAUSE_MS = 200;

/**
 * {@link MachinesApi} over HTTP with the global `fetch`: the production client, used against the
 * real Fly Machines API and the local fleet alike. Retries follow {@link isRetryable}; every failure
 * surfaces as a {@link MachinesApiError}.
 */
export class HttpMachinesApi implements MachinesApi {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retry: RetryOptions;
  private readonly random: () => number;
  private readonly rateLimitBudgetMs: number;
  private readonly gate = new RateGate();
  private readonly authorization: string | undefined;
  private readonly options: HttpMachinesApiOptions;

  constructor(options: HttpMachinesApiOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.random = options.random ?? Math.random;
    this.rateLimitBudgetMs = options.rateLimitBudgetMs ?? 60_000;
    this.authorization = options.token ? authorizationHeader(options.token) : undefined;
  }

  /**
   * `POST /v1/apps?wait=true` as fly-go's `CreateApp` sends it. The body names the app twice: `app_name`
   * is the public spec's field, `name` is fly-go's (`flaps.CreateAppRequest`, what flyctl sends since
   * 2025-11); the API reads one of them. A 409, or a 422 saying the name exists or is taken, means an
   * app of that name is there: it is read back (`GET /v1/apps/:app`), so one in an org this token
   * cannot see fails there (403/404) instead of passing as ours.
   */
  async createApp(app: string, orgSlug: string): Promise<{ app: ProviderApp; created: boolean }> {
    const result = await this.call('POST', '/v1/apps?wait=true', {
      body: { app_name: app, name: app, org_slug: orgSlug },
      retry: 'idempotent',
      accept: (status, _attempt, message) => status === 409 || (status === 422 && /exist|taken/i.test(message ?? '')),
    });
    if (result.status < 300) return { app: providerApp(result.body, app, orgSlug), created: true };
    return { app: await this.getApp(app), created: false };
  }

  async getApp(app: string): Promise<ProviderApp> {
    return providerApp((await this.call('GET', `/v1/apps/${encodeURIComponent(app)}`, { retry: 'idempotent' })).body, app);
  }

  async listIpAssignments(app: string): Promise<IpAssignment[]> {
    const body = (await this.call('GET', ipAssignmentsPath(app), { retry: 'idempotent' })).body as { ips?: IpAssignment[] } | null;
    return body?.ips ?? [];
  }

  /** Not retried once it may have run: a second assignment would be a second address. */
  async assignIp(app: string, input: AssignIpInput): Promise<IpAssignment> {
    return (await this.call('POST', ipAssignmentsPath(app), { body: input, retry: 'once' })).body as IpAssignment;
  }

  async deleteIpAssignment(app: string, ip: string): Promise<void> {
    // `:` stays as it is, as fly-go sends it (`/ip_assignments/2a09:8280:1::1`): it is legal in a path segment.
    await this.call('DELETE', `${ipAssignmentsPath(app)}/${encodeURIComponent(ip).replace(/%3A/gi, ':')}`, {
      retry: 'idempotent',
      accept: (status, attempt) => status === 404 && attempt > 1,
    });
  }

  /** A machine on an unreachable host comes with `host_status` and its partial config as `config` (see {@link withUsableConfig}). */
  async list(app: string): Promise<Machine[]> {
    return ((await this.call('GET', `${machinesPath(app)}`, { retry: 'idempotent' })).body as Machine[]).map(withUsableConfig);
  }

  async get(app: string, id: string): Promise<Machine> {
    return withUsableConfig((await this.call('GET', machinePath(app, id), { retry: 'idempotent' })).body as Machine);
  }

  /**
   * Launches a machine. With `idempotencyKey` the key goes into config metadata
   * `hangar_idempotency_key` (no header: the Fly API ignores `Idempotency-Key`). When the outcome of
   * an attempt is unknown (no answer, 408, 5xx) the app's machines are searched for that key before
   * posting again, and a machine found is adopted; `opts.resumed` (an earlier run of the same
   * operation may have sent this create) searches before the first attempt too. A machine found that
   * way carries no lease `nonce`.
   */
  async create(app: string, input: LaunchMachineInput, idempotencyKey?: string, opts: { resumed?: boolean } = {}): Promise<Machine> {
    if (idempotencyKey === undefined) {
      return (await this.call('POST', machinesPath(app), { body: input, retry: 'once' })).body as Machine;
    }
    if (opts.resumed) {
      const found = await this.findCreated(app, idempotencyKey);
      if (found) return found;
    }
    const body: LaunchMachineInput = {
      ...input,
      config: { ...input.config, metadata: { ...input.config.metadata, [IDEMPOTENCY_METADATA_KEY]: idempotencyKey } },
    };
    const result = await this.call('POST', machinesPath(app), {
      body,
      retry: 'keyed',
      beforeRetry: () => this.findCreated(app, idempotencyKey).catch(() => undefined),
    });
    return result.body as Machine;
  }

  /** The live machine a keyed create made, if any (throws when the list cannot be read: unknown is not "none"). */
  async findCreated(app: string, idempotencyKey: string): Promise<Machine | undefined> {
    const machines = await this.list(app);
    return machines.find((m) => m.config?.metadata?.[IDEMPOTENCY_METADATA_KEY] === idempotencyKey && m.state !== 'destroyed');
  }

  async update(app: string, id: string, input: LaunchMachineInput, nonce?: string): Promise<Machine> {
    return (await this.call('POST', machinePath(app, id), { body: input, nonce, retry: 'update' })).body as Machine;
  }

  /** `force` (default true) kills a running machine, as flyctl's deploy does; a retry finding it gone is success. */
  async destroy(app: string, id: string, opts: { nonce?: string; force?: boolean } = {}): Promise<void> {
    const query = opts.force === false ? '' : '?kill=true';
    await this.call('DELETE', `${machinePath(app, id)}${query}`, {
      nonce: opts.nonce,
      retry: 'idempotent',
      accept: (status, attempt) => status === 404 && attempt > 1,
    });
  }

  async start(app: string, id: string, nonce?: string): Promise<void> {
    await this.call('POST', `${machinePath(app, id)}/start`, { nonce, retry: 'idempotent' });
  }

  /** Body `{ signal?, timeout? }` (Fly's `StopRequest`); `{}` keeps the machine's `stop_config`. */
  async stop(app: string, id: string, nonce?: string, opts: StopOptions = {}): Promise<void> {
    await this.call('POST', `${machinePath(app, id)}/stop`, { body: stopBody(opts), nonce, retry: 'idempotent' });
  }

  /** `POST …/restart?signal=&timeout=`, as flyctl sends it. Retried only when turned away before it ran (429, 503): a second restart is not a no-op. */
  async restart(app: string, id: string, nonce?: string, opts: StopOptions = {}): Promise<void> {
    const query = new URLSearchParams(stopBody(opts)).toString();
    await this.call('POST', `${machinePath(app, id)}/restart${query ? `?${query}` : ''}`, { nonce, retry: 'update' });
  }

  async cordon(app: string, id: string, nonce?: string): Promise<void> {
    await this.call('POST', `${machinePath(app, id)}/cordon`, { nonce, retry: 'idempotent' });
  }

  async uncordon(app: string, id: string, nonce?: string): Promise<void> {
    await this.call('POST', `${machinePath(app, id)}/uncordon`, { nonce, retry: 'idempotent' });
  }

  /**
   * Loops server-side waits (each at most 60 s) until the machine is in `state` — with `instanceId`
   * when given — or `timeoutSec` has passed, then throws `MACHINE.WAIT_TIMEOUT`. A machine that
   * exits instead of starting is not reported here: callers that care poll {@link get}. A 404 while
   * waiting for `destroyed` counts as reached.
   */
  async wait(app: string, id: string, opts: { state: MachineState; instanceId?: string; timeoutSec: number }): Promise<void> {
    const deadline = Date.now() + opts.timeoutSec * 1000;
    const path = `${machinePath(app, id)}/wait`;
    for (;;) {
      const remainingSec = Math.ceil((deadline - Date.now()) / 1000);
      if (remainingSec <= 0) break;
      const holdSec = Math.min(MAX_WAIT_SEC, Math.max(1, remainingSec));
      const query = new URLSearchParams({ state: opts.state, timeout: String(holdSec) });
      if (opts.instanceId !== undefined) query.set('instance_id', opts.instanceId);
      const startedAt = Date.now();
      const result = await this.call('GET', `${path}?${query.toString()}`, {
        retry: 'idempotent',
        timeoutMs: holdSec * 1000 + this.timeoutMs,
        // A machine gone entirely has certainly reached `destroyed` (flyctl treats it so, too).
        accept: (status) => status === 408 || (status === 404 && opts.state === 'destroyed'),
      });
      if (result.status !== 408) return;
      // A server that answers 408 well before the hold it was given (a proxy, an overloaded host)
      // would otherwise be hammered in a tight loop.
      if (Date.now() - startedAt < (holdSec * 1000) / 2) await sleep(Math.min(EARLY_TIMEOUT_PAUSE_MS, Math.max(0, deadline - Date.now())));
    }
    const target = `${opts.state}${opts.instanceId === undefined ? '' : ` with instance ${opts.instanceId}`}`;
    throw new MachinesApiError(
      MachinesApiErrorCodes.WAIT_TIMEOUT,
      `timed out after ${opts.timeoutSec}s waiting for machine ${id} to be ${target}`,
      { method: 'GET', path, status: 408, attempts: 1 },
    );
  }

  async acquireLease(app: string, id: string, ttlSec: number, description?: string): Promise<Lease> {
    const result = await this.call('POST', `${machinePath(app, id)}/lease?ttl=${ttlSec}`, {
      body: { ttl: ttlSec, ...(description === undefined ? {} : { description }) },
      retry: 'once',
    });
    return { ...leaseData(result.body), ...(description === undefined ? {} : { description }) };
  }

  /** Extends the lease; if the API hands back a different nonce, the old lease had lapsed and this throws `MACHINE.LEASE_HELD`. */
  async refreshLease(app: string, id: string, nonce: string, ttlSec: number): Promise<Lease> {
    const path = `${machinePath(app, id)}/lease?ttl=${ttlSec}`;
    const result = await this.call('POST', path, { body: { ttl: ttlSec }, nonce, retry: 'idempotent' });
    const lease = leaseData(result.body);
    if (lease.nonce !== nonce) {
      await this.releaseLease(app, id, lease.nonce).catch(() => undefined);
      throw new MachinesApiError(
        MachinesApiErrorCodes.LEASE_HELD,
        `POST ${path}: lease on machine ${id} had expired; refresh returned a new nonce`,
        { method: 'POST', path, status: result.status, attempts: 1 },
      );
    }
    return lease;
  }

  /** Releases the lease; a lease that is already gone counts as released. */
  async releaseLease(app: string, id: string, nonce: string): Promise<void> {
    await this.call('DELETE', `${machinePath(app, id)}/lease`, { nonce, retry: 'idempotent', accept: (status) => status === 404 });
  }

  /** The current lease, or null when there is none. */
  async getLease(app: string, id: string): Promise<Lease | null> {
    const result = await this.call('GET', `${machinePath(app, id)}/lease`, { retry: 'idempotent', accept: (s) => s === 404 });
    return result.status === 404 ? null : leaseData(result.body);
  }

  async setMetadata(app: string, id: string, key: string, value: string, nonce?: string): Promise<void> {
    await this.call('POST', `${machinePath(app, id)}/metadata/${encodeURIComponent(key)}`, { body: { value }, nonce, retry: 'idempotent' });
  }

  async deleteMetadata(app: string, id: string, key: string, nonce?: string): Promise<void> {
    await this.call('DELETE', `${machinePath(app, id)}/metadata/${encodeURIComponent(key)}`, { nonce, retry: 'idempotent' });
  }

  async listVolumes(app: string): Promise<Volume[]> {
    return (await this.call('GET', `/v1/apps/${encodeURIComponent(app)}/volumes`, { retry: 'idempotent' })).body as Volume[];
  }

  async createVolume(app: string, input: { name: string; region?: string; size_gb?: number }): Promise<Volume> {
    return (await this.call('POST', `/v1/apps/${encodeURIComponent(app)}/volumes`, { body: input, retry: 'once' })).body as Volume;
  }

  async destroyVolume(app: string, id: string): Promise<void> {
    await this.call('DELETE', `/v1/apps/${encodeURIComponent(app)}/volumes/${encodeURIComponent(id)}`, {
      retry: 'idempotent',
      accept: (status, attempt) => status === 404 && attempt > 1,
    });
  }

  /**
   * On fleet its own `GET /fleet/v1/apps/:app/machines/:id/logs`; on Fly (which has no such route)
   * the logs API flyctl reads ({@link FlyLogsReader}). Never throws.
   */
  async logs(app: string, id: string): Promise<MachineLogs> {
    if (this.options.provider === 'fly') {
      return new FlyLogsReader({ token: this.options.token, ...(this.options.flyApiUrl ? { apiUrl: this.options.flyApiUrl } : {}) }).logs(app, id);
    }
    const path = `/fleet/v1/apps/${encodeURIComponent(app)}/machines/${encodeURIComponent(id)}/logs`;
    try {
      return { available: true, lines: ((await this.call('GET', path, { retry: 'idempotent' })).body as { lines: string[] }).lines };
    } catch (error) {
      return { available: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * One API call with its retries. A 429 holds back every call on the same machine and action
   * ({@link rateKey}) for the `Retry-After` the API sent (else the backoff delay), and is retried
   * for up to `rateLimitBudgetMs` without using up the call's attempts; other failures are retried
   * per the call's {@link RetryClass}.
   */
  private async call(method: string, path: string, opts: CallOptions): Promise<CallResult> {
    const key = rateKey(method, path);
    const budgetEnd = Date.now() + this.rateLimitBudgetMs;
    let attempt = 0;
    let throttled = 0;
    for (;;) {
      const held = this.gate.delayFor(key);
      if (held > 0) await sleep(held);
      attempt += 1;
      const outcome = await attemptRequest(`${this.baseUrl}${path}`, {
        method,
        headers: this.headers(opts),
        body: opts.body,
        timeoutMs: opts.timeoutMs ?? this.timeoutMs,
      });
      if ('status' in outcome && (outcome.ok || opts.accept?.(outcome.status, attempt, outcome.apiMessage))) {
        return { status: outcome.status, body: outcome.body };
      }
      if ('status' in outcome && outcome.status === 429) {
        throttled += 1;
        attempt -= 1;
        const wanted = Math.min(MAX_RETRY_AFTER_MS, outcome.retryAfterMs ?? backoffDelay(throttled, this.retry, this.random));
        if (Date.now() + wanted <= budgetEnd) {
          this.gate.hold(key, wanted);
          continue;
        }
        throw this.toError(method, path, outcome, attempt + throttled);
      }
      const failure: AttemptFailure = 'status' in outcome ? outcome.status : 'transport';
      if (attempt < this.retry.attempts && isRetryable(opts.retry, failure)) {
        await sleep(backoffDelay(attempt, this.retry, this.random));
        const found = await opts.beforeRetry?.();
        if (found !== undefined) return { status: 200, body: found };
        continue;
      }
      throw this.toError(method, path, outcome, attempt + throttled);
    }
  }

  private headers(opts: CallOptions): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (this.authorization) headers.authorization = this.authorization;
    if (opts.nonce) headers[LEASE_NONCE_HEADER] = opts.nonce;
    return headers;
  }

  private toError(method: string, path: string, outcome: AttemptOutcome, attempts: number): MachinesApiError {
    if (!('status' in outcome)) {
      const reason = describeTransportError(outcome.transportError);
      return new MachinesApiError(
        MachinesApiErrorCodes.API_ERROR,
        `${method} ${path} failed: ${reason}`,
        { method, path, status: 0, attempts },
        { cause: outcome.transportError },
      );
    }
    const apiMessage = outcome.apiMessage;
    return new MachinesApiError(
      MachinesApiError.codeFor(outcome.status, apiMessage),
      `${method} ${path} failed: ${outcome.status}${apiMessage ? ` ${apiMessage}` : ''}`,
      { method, path, status: outcome.status, attempts, ...(apiMessage === undefined ? {} : { apiMessage }) },
    );
  }
}

function ipAssignmentsPath(app: string): string {
  return `/v1/apps/${encodeURIComponent(app)}/ip_assignments`;
}

/** The app in a create or get answer; a body without a name (an API that answers 201 with nothing) is the app asked for. */
function providerApp(body: unknown, name: string, orgSlug?: string): ProviderApp {
  const app = (body ?? {}) as Partial<ProviderApp>;
  const slug = app.organization?.slug ?? orgSlug;
  return { name: app.name || name, ...(slug ? { organization: { slug } } : {}), ...(app.status ? { status: app.status } : {}) };
}

function machinesPath(app: string): string {
  return `/v1/apps/${encodeURIComponent(app)}/machines`;
}

function machinePath(app: string, id: string): string {
  return `${machinesPath(app)}/${encodeURIComponent(id)}`;
}

function stopBody(opts: StopOptions): Record<string, string> {
  return { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.timeout ? { timeout: opts.timeout } : {}) };
}

function leaseData(body: unknown): Lease {
  const data = (body as { data?: Lease } | null)?.data;
  if (!data || typeof data.nonce !== 'string') {
    throw new MachinesApiError(MachinesApiErrorCodes.API_ERROR, 'lease response without data.nonce', { method: 'POST', path: 'lease', status: 200, attempts: 1 });
  }
  return data;
}
