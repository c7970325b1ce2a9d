/**
 * Builders for every NATS subject, JetStream stream, durable name and event-store stream id.
 * Nothing else in the code base spells these strings (STYLE.md "Names").
 */

/** `HANGAR_NAMESPACE` shape: lower-case letters, digits and `-`, starting with a letter, at most 32. */
export const NAMESPACE_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/** App name shape (DESIGN §1): `[a-z0-9-]`, 1–63 characters, starts with a letter. */
export const APP_NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/** The services that answer commands; each is also its NATS queue group. */
export type ServiceName = 'releaser' | 'builder' | 'machine-updater' | 'secrets' | 'gateway';

/** `<ns>.cmd.<service>.<command>`: request-reply command subject. */
export function commandSubject(ns: string, service: ServiceName, command: string): string {
  return `${ns}.cmd.${service}.${command}`;
}

/** The pattern a Nest `@MessagePattern` registers, without the namespace (the transport adds it). */
export function commandPattern(service: ServiceName, command: string): string {
  return `cmd.${service}.${command}`;
}

/** JetStream stream holding the event feed: `<NS>_EVENTS`. */
export function eventsStreamName(ns: string): string {
  return `${ns.toUpperCase().replace(/-/g, '_')}_EVENTS`;
}

/** Subjects of the event feed: `<ns>.events.>`. */
export function eventsSubjectWildcard(ns: string): string {
  return `${ns}.events.>`;
}

/** `<ns>.events.<app or _>.<Type>`. */
export function eventSubject(ns: string, app: string | undefined, type: string): string {
  return `${ns}.events.${app && APP_NAME_PATTERN.test(app) ? app : '_'}.${type}`;
}

/** `<ns>.events.*.<Type>`: every app's events of one type. */
export function eventTypeSubject(ns: string, type: string): string {
  return `${ns}.events.*.${type}`;
}

/** Durable consumer name, one per (service, purpose): `<ns>_<service>_<purpose>`. */
export function durableName(ns: string, service: string, purpose: string): string {
  return `${ns}_${service}_${purpose}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Event-store stream ids, by owner (DESIGN §2). */
export const streams = {
  app: (app: string) => `app-${app}`,
  release: (releaseId: string) => `release-${releaseId}`,
  image: (releaseId: string) => `image-${releaseId}`,
  registry: (hostAndRepo: string) => `registry-${hostAndRepo}`,
  machine: (machineIdOrKey: string) => `machine-${machineIdOrKey}`,
  volume: (volumeId: string) => `volume-${volumeId}`,
  secrets: (app: string) => `secrets-${app}`,
  /** An IP address pool (written by releaser): which addresses are handed out, `ippool-v4` / `ippool-v6`. */
  ipPool: (family: 'v4' | 'v6') => `ippool-${family}`,
  /** API token lifecycle (written by gateway): `token-<name>`. */
  token: (name: string) => `token-${name}`,
  /** Registry webhook receivers (written by builder): `receivers`. */
  receivers: () => 'receivers',
  /** Ignored deliveries of one receiver (written by builder): `receiver-<id>`. */
  receiver: (receiverId: string) => `receiver-${receiverId}`,
  /** Image trigger definitions of every app (written by builder): `triggers`. */
  triggers: () => 'triggers',
  /** What came of each push one trigger followed (written by releaser): `trigger-<id>`. */
  trigger: (triggerId: string) => `trigger-${triggerId}`,
  /** Periodic commitments to every stream's head hash (tamper evidence, DESIGN G7). */
  auditCheckpoints: () => 'audit-checkpoints',
} as const;

/** The category of a stream id: the part before the first `-` (`release-01H…` → `release`). */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}

/**
 * fleet's id on a host (its podman runtime labels every container `hangar.fleet=<id>`): the name of its
 * database, made safe for a container name, so two fleets sharing a host never touch each other's.
 */
export function fleetIdOf(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, '')) || 'hangar';
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 40);
}
