import type { PathsObject } from '@nestjs/swagger';
import { APP_PARAM, arrayOf, body, boolean, integer, object, operation, pathParam, queryParam, ref, string } from './openapi-operations';

const REGION = { type: 'string', pattern: '^[a-z0-9-]{1,32}$' };
const VOLUME_NAME = { type: 'string', pattern: '^[a-z0-9_]{1,30}$' };
const MACHINE_ID = pathParam('id', 'Machine id.', { type: 'string', pattern: '^[0-9a-f]{14}$' });
const APP_MISSING = 'RELEASE.APP_NOT_FOUND.';

/** Machines, volumes and IP addresses (`MachinesController`, `MachineActionsController`'s clone, `VolumesController`, `IpsController`); one machine's routes are in machine.paths.ts. */
export const FLEET_PATHS: PathsObject = {
  '/v1/apps/{app}/machines': {
    get: operation({
      operationId: 'listMachines',
      tag: 'machines',
      summary: 'The app’s machines, now or at a past moment',
      description: 'Without `at`, as the machines API reports them now. With `at`, as they were then, told from the events (`status --at`).',
      scope: 'app:read',
      parameters: [APP_PARAM, queryParam('at', 'An RFC 3339 time, e.g. `2026-01-02T03:04:05Z`.', { type: 'string', format: 'date-time' })],
      success: {
        status: 200,
        description: 'The machines (`MachineView` now, `MachineAtTime` with `at`).',
        schema: object({ app: { type: 'string' }, at: { type: 'string', format: 'date-time' }, machines: { oneOf: [arrayOf(ref('MachineView')), arrayOf(ref('MachineAtTime'))] } }, ['app', 'machines']),
      },
      errors: { 400: 'REQUEST.INVALID: bad `at`.', 404: APP_MISSING },
    }),
    post: operation({
      operationId: 'runMachine',
      tag: 'machines',
      summary: 'Run an unmanaged machine (`machine run`)',
      scope: 'app:deploy',
      parameters: [APP_PARAM],
      requestBody: {
        schema: body(
          {
            image: string(undefined, { maxLength: 512 }),
            region: { ...REGION },
            cmd: arrayOf(string()),
            env: object({}, [], { additionalProperties: { type: 'string' } }),
            mount: object({ volume: { ...VOLUME_NAME }, path: string('Absolute path.', { pattern: '^/' }) }, ['volume', 'path'], {
              additionalProperties: false,
              description: 'Mount an unattached volume of that name in the machine’s region.',
            }),
          },
          ['image'],
        ),
      },
      success: { status: 201, description: 'The machine.', schema: object({ machine: ref('MachineView') }, ['machine']) },
      errors: { 404: APP_MISSING, 422: 'VOLUME.NONE_AVAILABLE, MACHINE.API_ERROR.' },
    }),
  },
  '/v1/apps/{app}/machines/{id}/clone': {
    post: operation({
      operationId: 'cloneMachine',
      tag: 'machines',
      summary: 'Clone a machine (same config and metadata; managed stays managed)',
      scope: 'app:deploy',
      parameters: [APP_PARAM, MACHINE_ID],
      requestBody: { required: false, schema: body({ region: { ...REGION, description: 'Defaults to the source’s region.' } }) },
      success: { status: 201, description: 'The clone.', schema: object({ machine: ref('MachineView'), sourceId: string() }, ['machine', 'sourceId']) },
      errors: { 404: `${APP_MISSING} MACHINE.NOT_FOUND.`, 422: 'VOLUME.NONE_AVAILABLE, MACHINE.API_ERROR.' },
    }),
  },
  '/v1/apps/{app}/volumes': {
    get: operation({
      operationId: 'listVolumes',
      tag: 'volumes',
      summary: 'List volumes',
      scope: 'app:read',
      parameters: [APP_PARAM],
      success: { status: 200, description: 'The volumes.', schema: object({ volumes: arrayOf(ref('Volume')) }, ['volumes']) },
      errors: { 400: 'REQUEST.INVALID: not an app name.', 404: APP_MISSING },
    }),
    post: operation({
      operationId: 'createVolumes',
      tag: 'volumes',
      summary: 'Create volumes (one machine each)',
      scope: 'app:deploy',
      parameters: [APP_PARAM],
      requestBody: {
        schema: body(
          {
            name: { ...VOLUME_NAME, description: 'The `[mounts] source` name.' },
            region: { ...REGION },
            sizeGb: integer(undefined, { minimum: 1, maximum: 500 }),
            count: integer('How many volumes of that name.', { minimum: 1, maximum: 50 }),
          },
          ['name', 'region'],
        ),
      },
      success: { status: 201, description: 'The volumes created.', schema: object({ volumes: arrayOf(ref('Volume')) }, ['volumes']) },
      errors: { 404: APP_MISSING, 422: 'MACHINE.API_ERROR.' },
    }),
  },
  '/v1/apps/{app}/ips': {
    get: operation({
      operationId: 'listIps',
      tag: 'ips',
      summary: 'List the app’s IP addresses',
      scope: 'app:read',
      parameters: [APP_PARAM],
      success: { status: 200, description: 'The addresses.', schema: object({ ips: arrayOf(ref('IpAddress')) }, ['ips']) },
      errors: { 400: 'REQUEST.INVALID: not an app name.', 404: APP_MISSING },
    }),
    post: operation({
      operationId: 'allocateIp',
      tag: 'ips',
      summary: 'Allocate an IP address (no release)',
      description: 'From the local pools (`HANGAR_IPV4_POOL`, `HANGAR_IPV6_POOL`) on fleet; with `HANGAR_MACHINES_PROVIDER=fly`, from Fly.io’s IP assignments API (`POST /v1/apps/:app/ip_assignments`). Either way `IpAllocated` or `ProviderIpAllocated` is recorded in the app’s stream.',
      scope: 'app:deploy',
      parameters: [APP_PARAM],
      requestBody: {
        schema: body({ type: string(undefined, { enum: ['v4', 'v6'] }), shared: boolean('The pool’s one shared IPv4 address instead of a dedicated one.') }, ['type']),
      },
      success: { status: 201, description: 'Allocated.', schema: object({ ip: ref('IpAddress') }, ['ip']) },
      errors: { 404: APP_MISSING, 422: 'IP.POOL_EXHAUSTED, IP.ALREADY_ALLOCATED.' },
    }),
  },
  '/v1/apps/{app}/ips/{address}': {
    delete: operation({
      operationId: 'releaseIp',
      tag: 'ips',
      summary: 'Release an IP address',
      scope: 'app:deploy',
      parameters: [APP_PARAM, pathParam('address', 'The address.', { type: 'string', maxLength: 64 })],
      success: { status: 200, description: 'Released.', schema: object({ released: object({ app: string(), address: string() }, ['app', 'address']) }, ['released']) },
      errors: { 400: 'REQUEST.INVALID.', 404: `${APP_MISSING} IP.NOT_FOUND.` },
    }),
  },
};
