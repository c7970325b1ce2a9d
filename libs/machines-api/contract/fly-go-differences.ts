/**
 * Where the Fly Machines API as production speaks it (fly-go, the client flyctl uses) differs from
 * the public Swagger 2.0 spec in `fly-machines-api.swagger.json` (generated early 2024). The
 * contract test validates every exchange against the spec with these differences applied, and
 * nothing else: each entry names the fly-go source that shows it (github.com/superfly/fly-go).
 */

/** A JSON schema as the spec writes them (Swagger 2.0 ≈ JSON Schema draft 4). */
export type Schema = Record<string, unknown>;

/** The spec's parts a difference may change. */
export interface ContractSpec {
  definitions: Record<string, Schema>;
  /** `METHOD /path/template` (paths as in the spec, under `/v1`) → the operation. */
  operations: Map<string, ContractOperation>;
}

export interface ContractOperation {
  /** Query parameters by name, with their Swagger type. */
  query: Map<string, string>;
  body?: Schema;
  /** Response schema by status; `undefined` schema: the body is not described. */
  responses: Map<number, Schema | undefined>;
}

export interface FlyGoDifference {
  id: string;
  /** What production does that the spec does not say. */
  what: string;
  /** fly-go file and function (or type) that shows it. */
  flyGo: string;
  apply(spec: ContractSpec): void;
}

const ERROR_RESPONSE: Schema = { $ref: '#/definitions/ErrorResponse' };

function op(spec: ContractSpec, key: string): ContractOperation {
  const found = spec.operations.get(key);
  if (!found) throw new Error(`fly-go difference names an operation the spec lacks: ${key}`);
  return found;
}

export const FLY_GO_DIFFERENCES: readonly FlyGoDifference[] = [
  {
    id: 'duration-string',
    what: 'Durations (check interval/timeout/grace_period, stop_config.timeout, StopRequest.timeout) are Go duration strings such as "10s", not the `{ "time.Duration": n }` object the spec shows; a number of nanoseconds is also read.',
    flyGo: 'duration.go Duration.MarshalJSON / Duration.ParseDuration',
    apply: (spec) => {
      spec.definitions['fly.Duration'] = { type: ['string', 'integer'], pattern: '^(?:0|(?:\\d+(?:\\.\\d+)?(?:ns|us|µs|ms|s|m|h))+)$' };
    },
  },
  {
    id: 'lease-wrapped',
    what: 'Lease answers (acquire, refresh, get) are wrapped as `{ status, data: Lease, message?, code? }`, not a bare Lease.',
    flyGo: 'machine_types.go MachineLease / MachineLeaseData; flaps/flaps_machines.go AcquireLease, FindLease, RefreshLease',
    apply: (spec) => {
      const wrapped: Schema = {
        type: 'object',
        required: ['status', 'data'],
        properties: { status: { type: 'string' }, data: { $ref: '#/definitions/Lease' }, message: { type: 'string' }, code: { type: 'string' } },
      };
      for (const m of ['GET', 'POST']) op(spec, `${m} /apps/{app_name}/machines/{machine_id}/lease`).responses.set(200, wrapped);
    },
  },
  {
    id: 'lease-ttl-query',
    what: 'Acquiring or refreshing a lease sends its TTL as the `ttl` query parameter (seconds); the nonce of the lease to refresh travels in the `fly-machine-lease-nonce` header.',
    flyGo: 'flaps/flaps_machines.go AcquireLease, RefreshLease (`?ttl=%d`, NonceHeader)',
    apply: (spec) => {
      op(spec, 'POST /apps/{app_name}/machines/{machine_id}/lease').query.set('ttl', 'integer');
    },
  },
  {
    id: 'create-app-name-wait',
    what: 'Creating an app posts to `/apps?wait=true` with the name as `name` (the spec says `app_name`; Hangar sends both, so a server reading either finds it) and may carry `app_role_id`.',
    flyGo: 'flaps/flaps_apps.go CreateAppRequest (`json:"name"`, `json:"org_slug"`), CreateApp (`/apps?wait=true`)',
    apply: (spec) => {
      const create = op(spec, 'POST /apps');
      create.query.set('wait', 'boolean');
      spec.definitions['CreateAppRequest'] = {
        ...spec.definitions['CreateAppRequest'],
        properties: { ...((spec.definitions['CreateAppRequest'] ?? {})['properties'] as Record<string, unknown>), name: { type: 'string' }, app_role_id: { type: 'string' } },
      };
    },
  },
  {
    id: 'metadata-value-body',
    what: '`POST …/metadata/{key}` takes the value as the body `{ "value": "…" }` (the spec declares no body).',
    flyGo: 'flaps/flaps_machines.go SetMetadata',
    apply: (spec) => {
      op(spec, 'POST /apps/{app_name}/machines/{machine_id}/metadata/{key}').body = {
        type: 'object',
        required: ['value'],
        additionalProperties: false,
        properties: { value: { type: 'string' } },
      };
    },
  },
  {
    id: 'destroy-kill',
    what: 'Destroying a machine sends `?kill=true|false` (the spec names only `force`).',
    flyGo: 'flaps/flaps_machines.go Destroy (`?kill=%t`)',
    apply: (spec) => {
      op(spec, 'DELETE /apps/{app_name}/machines/{machine_id}').query.set('kill', 'boolean');
    },
  },
  {
    id: 'restart-signal',
    what: 'Restart takes `signal` and `force_stop` in the query besides `timeout`.',
    flyGo: 'flaps/flaps_machines.go Restart',
    apply: (spec) => {
      const restart = op(spec, 'POST /apps/{app_name}/machines/{machine_id}/restart');
      restart.query.set('signal', 'string');
      restart.query.set('force_stop', 'boolean');
    },
  },
  {
    id: 'wait-version',
    what: 'Wait names the instance as `version` (an alias of `instance_id`) and may pass `from_event_id`; `timeout` is at most 60 (seconds) because the proxy cuts longer requests.',
    flyGo: 'flaps/flaps_machines_wait.go waitQuerystring, WithWaitTimeout (proxyTimeoutThreshold)',
    apply: (spec) => {
      const wait = op(spec, 'GET /apps/{app_name}/machines/{machine_id}/wait');
      wait.query.set('version', 'string');
      wait.query.set('from_event_id', 'string');
      wait.query.set('timeout', 'integer<=60');
    },
  },
  {
    id: 'machine-host-status',
    what: 'A Machine carries `host_status` (ok, unknown, unreachable), `cordoned`, and, when the host is not ok, no `config` but a partial `incomplete_config`.',
    flyGo: 'machine_types.go Machine (HostStatus, Cordoned, IncompleteConfig) and Machine.GetConfig',
    apply: (spec) => {
      const machine = spec.definitions.Machine as { properties: Record<string, Schema> };
      machine.properties.host_status = { type: 'string', enum: ['ok', 'unknown', 'unreachable'] };
      machine.properties.cordoned = { type: 'boolean' };
      machine.properties.incomplete_config = { $ref: '#/definitions/fly.MachineConfig' };
    },
  },
  {
    id: 'service-autostop-string',
    what: '`services[].autostop` is a string (`off`, `stop`, `suspend`) or a bool.',
    flyGo: 'machine_types.go MachineAutostop (UnmarshalJSON reads bool or string)',
    apply: (spec) => {
      (spec.definitions['fly.MachineService'] as { properties: Record<string, Schema> }).properties.autostop = { type: ['boolean', 'string'] };
    },
  },
  {
    id: 'volume-nullable-attachment',
    what: 'A volume not attached to a machine has `attached_machine_id` (and `attached_alloc_id`) `null`.',
    flyGo: 'types.go Volume (AttachedMachine *string, AttachedAllocation *string)',
    apply: (spec) => {
      const volume = spec.definitions.Volume as { properties: Record<string, Schema> };
      volume.properties.attached_machine_id = { type: ['string', 'null'] };
      volume.properties.attached_alloc_id = { type: ['string', 'null'] };
    },
  },
  {
    id: 'error-statuses',
    what: 'Answers the spec does not list and fly-go handles: 404 (not found), 408 (wait timed out), 409 (lease held / nonce mismatch), 412, 422, 429 (rate limited, with Retry-After) and 5xx, each with the `{ error }` body of ErrorResponse.',
    flyGo: 'flaps/flaps.go handleAPIError (reads `error` / `message`), flaps/flaps_machines.go AcquireLease (retries 409); flyctl internal/flapsutil/retry.go IsTransientFlapsError (408, 429, 5xx)',
    apply: (spec) => {
      for (const operation of spec.operations.values()) {
        for (const status of [400, 401, 403, 404, 408, 409, 412, 422, 429, 500, 502, 503, 504]) {
          if (!operation.responses.has(status)) operation.responses.set(status, ERROR_RESPONSE);
        }
      }
    },
  },
  {
    id: 'any-2xx',
    what: 'Any 2xx is success and its body is read only where fly-go decodes one: an operation documented with a 2xx status may answer another 2xx (e.g. 200 instead of 201/204).',
    flyGo: 'flaps/flaps.go _sendRequest (`resp.StatusCode > 299` is the only failure test)',
    apply: (spec) => {
      for (const operation of spec.operations.values()) {
        const documented = [...operation.responses.entries()].find(([s]) => s >= 200 && s < 300);
        for (const status of [200, 201, 202, 204]) if (!operation.responses.has(status)) operation.responses.set(status, documented?.[1]);
      }
    },
  },
];

/**
 * Routes only the local fleet serves (its admin and inspection API, DESIGN §7.5): left out of the
 * contract by name. Anything else not in the spec is a contract failure.
 */
export const FLEET_ONLY_ROUTES: readonly { route: string; why: string }[] = [
  { route: '/fleet/v1/faults', why: 'fault injection for tests (HANGAR_FLEET_FAULTS=1)' },
  { route: '/fleet/v1/faults/{id}', why: 'fault injection for tests' },
  { route: '/fleet/v1/apps/{app}/logs', why: 'app logs of the local runtime (Fly serves logs elsewhere)' },
  { route: '/fleet/v1/apps/{app}/timeline', why: "fleet's record of every machine event, read by tests" },
  { route: '/fleet/v1/apps/{app}/machines/{id}/logs', why: "a machine's log lines (release command output on fleet)" },
];
