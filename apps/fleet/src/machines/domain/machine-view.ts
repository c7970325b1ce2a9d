import type { Machine, MachineCheckStatus, MachineEvent } from '@hangar/machines-api';
import type { SimEvent, SimMachine } from './sim.types';

/** Event types a Fly machine lists in `events[]`; the rest are fleet's timeline only. */
const FLY_EVENT_TYPES: ReadonlySet<string> = new Set(['launch', 'update', 'start', 'stop', 'exit', 'destroy']);

/** How many events a machine carries in its `events[]` (newest first, like Fly); the timeline has them all. */
export const MACHINE_EVENTS_LIMIT = 20;

/**
 * Every configured check — top-level `checks` by name and each service's checks as
 * `servicecheck-NN-<type>-<port>` — is `passing` while the machine is started (and not faulted
 * `unhealthy`), `critical` otherwise.
 */
export function checkStatuses(machine: SimMachine): MachineCheckStatus[] {
  const names = [
    ...Object.keys(machine.config.checks ?? {}),
    ...(machine.config.services ?? []).flatMap((s) => (s.checks ?? []).map((c) => ({ type: c.type, port: c.port ?? s.internal_port }))).map(
      (c, i) => `servicecheck-${String(i).padStart(2, '0')}-${c.type}-${c.port}`,
    ),
  ];
  const updatedAt = new Date(machine.stateEnteredAt).toISOString();
  const passing = machine.state === 'started' && !machine.run?.unhealthy;
  const output = passing
    ? 'Success'
    : machine.state === 'started'
      ? 'simulated fault: unhealthy'
      : `machine is ${machine.state}`;
  return names.map((name) => ({ name, status: passing ? 'passing' : 'critical', output, updated_at: updatedAt }));
}

export function toWireEvent(e: SimEvent): MachineEvent {
  return { type: e.type, status: e.status, source: e.source, timestamp: e.timestamp, request: { ...e.request, instance_id: e.instanceId } };
}

/**
 * The Machines API representation. `events` must be newest first; only Fly's event types are kept
 * and at most {@link MACHINE_EVENTS_LIMIT}. `nonce` only on a create with `lease_ttl`.
 */
export function toWireMachine(machine: SimMachine, eventsNewestFirst: readonly SimEvent[], nonce?: string): Machine {
  return {
    id: machine.id,
    name: machine.name,
    state: machine.state,
    region: machine.region,
    instance_id: machine.instanceId,
    private_ip: privateIp(machine.id),
    config: machine.config,
    image_ref: parseImageRef(machine.config.image),
    created_at: new Date(machine.createdAt).toISOString(),
    updated_at: new Date(machine.updatedAt).toISOString(),
    events: eventsNewestFirst.filter((e) => FLY_EVENT_TYPES.has(e.type)).slice(0, MACHINE_EVENTS_LIMIT).map(toWireEvent),
    checks: checkStatuses(machine),
    cordoned: machine.cordoned,
    host_status: 'ok',
    ...(nonce === undefined ? {} : { nonce }),
  };
}

/** `registry/repository:tag@digest` split the way Fly reports `image_ref` (Docker Hub when no registry host is given). */
export function parseImageRef(image: string): NonNullable<Machine['image_ref']> {
  const [name, digest = ''] = image.split('@', 2);
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  const registry = hasRegistry ? first : 'docker.io';
  let path = hasRegistry ? name.slice(slash + 1) : name;
  let tag = digest ? '' : 'latest';
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  const repository = !hasRegistry && !path.includes('/') ? `library/${path}` : path;
  return { registry, repository, tag, digest };
}

function privateIp(id: string): string {
  const hex = id.padEnd(16, '0');
  return `fdaa:0:1:a7b:${hex.slice(0, 4)}:${hex.slice(4, 8)}:${hex.slice(8, 12)}:${hex.slice(12, 16)}`;
}
