import type { PathsObject } from '@nestjs/swagger';
import { KILL_SIGNALS } from '@hangar/app-config';
import { APP_PARAM, arrayOf, body, boolean, dateTime, integer, object, operation, pathParam, queryParam, ref, string, type Schema } from './openapi-operations';

const MACHINE_ID = pathParam('id', 'Machine id.', { type: 'string', pattern: '^[0-9a-f]{14}$' });
const APP_MISSING = 'RELEASE.APP_NOT_FOUND.';
const BUSY =
  'MACHINE.RELEASE_CONFLICT: the machine is managed and a release of the app is rolling out (cancel it or wait); MACHINE.LEASE_HELD: someone else (a deploy updating it, another command) holds its lease. Neither waits.';

const stopBody = body({
  signal: string('The signal to stop with instead of the machine’s `stop_config.signal` (default SIGINT).', { enum: [...KILL_SIGNALS] }),
  timeout: string('How long to wait after the signal before SIGKILL, as a Go duration (`30s`, `1m30s`, at most `5m`), instead of `stop_config.timeout`.'),
});

const powerReply = object(
  {
    machine: { allOf: [ref('MachineView'), object({ instanceId: string() }, ['instanceId'])], description: 'The machine right after the call.' },
    previousState: ref('MachineState'),
  },
  ['machine', 'previousState'],
);

/** One machine (`MachineActionsController`: status, destroy, start, stop, restart) and the app-wide views of `MachineReportsController`. */
export const MACHINE_PATHS: PathsObject = {
  '/v1/apps/{app}/machines/{id}': {
    get: operation({
      operationId: 'getMachine',
      tag: 'machines',
      summary: 'One machine: config, events and checks (`machine status`)',
      description: 'As the Machines API reports it, a destroyed machine included. `config.env` shows `[REDACTED]` for every name the app has or had a secret under.',
      scope: 'app:read',
      parameters: [APP_PARAM, MACHINE_ID],
      success: { status: 200, description: 'The machine.', schema: object({ machine: ref('MachineDetail') }, ['machine']) },
      errors: { 400: 'REQUEST.INVALID: not a machine id.', 404: `${APP_MISSING} MACHINE.NOT_FOUND.`, 422: 'MACHINE.API_ERROR.' },
    }),
    delete: operation({
      operationId: 'destroyMachine',
      tag: 'machines',
      summary: 'Destroy a machine',
      scope: 'app:deploy',
      parameters: [APP_PARAM, MACHINE_ID, queryParam('force', '`true` or `1` kills a running machine; without it a running machine is refused.', { type: 'string', enum: ['true', '1', 'false'] })],
      success: { status: 200, description: 'Destroyed.', schema: object({ destroyed: object({ id: string(), managed: boolean() }, ['id', 'managed']) }, ['destroyed']) },
      errors: { 400: 'REQUEST.INVALID: not a machine id.', 404: `${APP_MISSING} MACHINE.NOT_FOUND.`, 422: 'MACHINE.RUNNING: stop it first or use `force`.' },
    }),
  },
  '/v1/apps/{app}/machines/{id}/start': {
    post: operation({
      operationId: 'startMachine',
      tag: 'machines',
      summary: 'Start a machine (`machine start`), under its lease',
      description: 'Answers once the Machines API took the start (state `starting`); poll `GET …/machines/{id}` to see it started. Recorded as `MachineActionRequested` then `MachineStarted` (or `MachineActionFailed`).',
      scope: 'app:deploy',
      parameters: [APP_PARAM, MACHINE_ID],
      success: { status: 200, description: 'The machine after the call.', schema: powerReply },
      errors: { 400: 'REQUEST.INVALID: not a machine id.', 404: `${APP_MISSING} MACHINE.NOT_FOUND.`, 409: BUSY, 422: 'MACHINE.API_ERROR.' },
    }),
  },
  '/v1/apps/{app}/machines/{id}/stop': {
    post: operation({
      operationId: 'stopMachine',
      tag: 'machines',
      summary: 'Stop a machine (`machine stop`), under its lease',
      description: 'Recorded as `MachineActionRequested` then `MachineStopped` (or `MachineActionFailed`), with the signal and timeout.',
      scope: 'app:deploy',
      parameters: [APP_PARAM, MACHINE_ID],
      requestBody: { required: false, schema: stopBody },
      success: { status: 200, description: 'The machine after the call.', schema: powerReply },
      errors: { 400: 'REQUEST.INVALID: not a machine id, an unknown signal or a bad timeout.', 404: `${APP_MISSING} MACHINE.NOT_FOUND.`, 409: BUSY, 422: 'MACHINE.API_ERROR.' },
    }),
  },
  '/v1/apps/{app}/machines/{id}/restart': {
    post: operation({
      operationId: 'restartMachine',
      tag: 'machines',
      summary: 'Restart a machine (`machine restart`): stop it with the signal, then start the same instance',
      description: 'Answers once the machine is booting again; poll `GET …/machines/{id}` for it to be started and its checks passing. Recorded as `MachineActionRequested` then `MachineRestarted` (or `MachineActionFailed`).',
      scope: 'app:deploy',
      parameters: [APP_PARAM, MACHINE_ID],
      requestBody: { required: false, schema: stopBody },
      success: { status: 200, description: 'The machine after the call.', schema: powerReply },
      errors: { 400: 'REQUEST.INVALID: not a machine id, an unknown signal or a bad timeout.', 404: `${APP_MISSING} MACHINE.NOT_FOUND.`, 409: BUSY, 422: 'MACHINE.API_ERROR.' },
    }),
  },
  '/v1/apps/{app}/images': {
    get: operation({
      operationId: 'listMachineImages',
      tag: 'machines',
      summary: 'The image each machine runs, its digest and the release that put it there (`image show`)',
      scope: 'app:read',
      parameters: [APP_PARAM],
      success: { status: 200, description: 'One entry per machine.', schema: object({ app: string(), images: arrayOf(ref('MachineImage')) }, ['app', 'images']) },
      errors: { 400: 'REQUEST.INVALID: not an app name.', 404: APP_MISSING },
    }),
  },
};

/** `GET /v1/apps/{app}/scale`, documented beside the `POST` of apps.paths.ts. */
export const SHOW_SCALE = operation({
  operationId: 'showScale',
  tag: 'machines',
  summary: 'Managed machines per process group: count, VM size, regions (`scale show`)',
  scope: 'app:read',
  parameters: [APP_PARAM],
  success: {
    status: 200,
    description: 'The groups, by name.',
    schema: object({ app: string(), groups: arrayOf(ref('ScaleGroup')), unmanaged: integer('Machines `machine run` made, not counted in any group.') }, ['app', 'groups', 'unmanaged']),
  },
  errors: { 400: 'REQUEST.INVALID: not an app name.', 404: APP_MISSING },
});

const free = (description?: string) => object({}, [], { additionalProperties: true, ...(description ? { description } : {}) });

/** The shapes of the routes above. */
export const MACHINE_SCHEMAS: Record<string, Schema> = {
  MachineDetail: {
    allOf: [
      ref('MachineView'),
      object(
        {
          instanceId: string(),
          releaseId: string(),
          imageRef: object({ registry: string(), repository: string(), tag: string(), digest: string() }, ['registry', 'repository', 'tag', 'digest']),
          name: string(),
          privateIp: string(),
          cordoned: boolean(),
          hostStatus: string(),
          createdAt: dateTime(),
          updatedAt: dateTime(),
          config: free('The Machines API config; `env` values of secret names are `[REDACTED]`.'),
          events: arrayOf(free('A Fly machine event: `type`, `status`, `source`, `timestamp` (ms), `request`.'), 'Newest first.'),
          checks: arrayOf(object({ name: string(), status: string(undefined, { enum: ['passing', 'warning', 'critical'] }), output: string(), updated_at: dateTime() }, ['name', 'status'])),
        },
        ['instanceId', 'name', 'createdAt', 'updatedAt', 'config', 'events', 'checks'],
      ),
    ],
    description: '`machine status --json`’s `machine`.',
  },
  MachineImage: object(
    {
      machineId: string(),
      processGroup: string(),
      region: string(),
      state: ref('MachineState'),
      managed: boolean(),
      image: string('As the machine’s config names it.'),
      registry: string(),
      repository: string(),
      tag: string(),
      digest: string('`sha256:…`, from the Machines API or the release.'),
      imageId: string('`img_…` of the release’s resolved image.'),
      release: object({ id: string(), version: integer() }, ['id', 'version']),
    },
    ['machineId', 'processGroup', 'region', 'state', 'managed', 'image'],
  ),
  ScaleGroup: object(
    {
      name: string('Process group.'),
      count: integer(),
      cpuKind: string(),
      cpus: integer(),
      memoryMb: integer(),
      regions: object({}, [], { additionalProperties: { type: 'integer' }, description: 'Region → machines.' }),
    },
    ['name', 'count', 'cpuKind', 'cpus', 'memoryMb', 'regions'],
  ),
};
