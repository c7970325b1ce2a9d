import { commandSubject, eventsStreamName, eventsSubjectWildcard, type ServiceName } from '@hangar/contracts';
import { nkeys } from 'nats';
import { inboxPrefixOf } from './nats-identity';

/** Hangar's services, each a NATS identity of its own. */
export const SERVICE_IDENTITIES = ['gateway', 'releaser', 'builder', 'machine-updater', 'secrets'] as const satisfies readonly ServiceName[];

/** The NATS account of Hangar's services (and of read-only feed readers). */
export const SERVICE_ACCOUNT = 'HANGAR';
/** The NATS account of outside command publishers: their requests reach the services through an import that stamps who sent them. */
export const PUBLIC_ACCOUNT = 'PUBLIC';

/**
 * The commands each service sends to the others (`CommandClient.request` calls), so that a service can
 * publish only what it needs: `get-values` (secret values, sealed to the caller's key) is sent by
 * machine-updater and by no one else. `'*'` is every command of that service.
 */
const SENDS: Record<(typeof SERVICE_IDENTITIES)[number], Partial<Record<ServiceName, readonly string[]>>> = {
  gateway: { releaser: ['*'], builder: ['*'], 'machine-updater': ['*'], secrets: ['list', 'set', 'deploy', 'rotate-key', 'transport-key', 'receiver-secret'] },
  releaser: { builder: ['resolve-image'], 'machine-updater': ['*'] },
  builder: { releaser: ['registry-release'], secrets: ['store-receiver-secret', 'delete-receiver-secret'] },
  'machine-updater': { secrets: ['get-values'] },
  secrets: { releaser: ['get-app'] },
};

/** Commands an outside publisher may never send, whatever its token: they hand out secret material. */
const NEVER_PUBLIC = [['secrets', 'get-values'], ['secrets', 'receiver-secret'], ['secrets', 'store-receiver-secret']] as const;

/** What `hangar nats init` writes. */
export interface NatsAuthOptions {
  namespace: string;
  host: string;
  port: number;
  /** JetStream's store directory. */
  storeDir: string;
  /** Outside command publishers (account PUBLIC); bind each to an API token with `hangar tokens create --nats-key`. */
  publishers: readonly string[];
  /** Read-only feed readers: may read `<NS>_EVENTS` through a durable consumer named after themselves, and nothing else. */
  feedReaders: readonly string[];
}

export interface NatsIdentity {
  name: string;
  kind: 'service' | 'publisher' | 'feed-reader';
  /** The nkey user public key (`U…`): what NATS reports as the user, and what a token is bound to. */
  publicKey: string;
  /** The nkey seed (`SU…`): the identity's secret, written to `<name>.nk`. */
  seed: string;
}

export const NATS_IDENTITY_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * The identities (the services, then `options`' publishers and feed readers) with their nkeys, and the
 * nats-server configuration that enforces their permissions. An identity found in `existing` keeps its
 * key, so adding a publisher does not change anyone else's credentials.
 */
export function generateNatsAuth(options: NatsAuthOptions, existing: readonly NatsIdentity[] = []): { config: string; identities: NatsIdentity[] } {
  const named = [...options.publishers, ...options.feedReaders];
  for (const name of named) {
    if (!NATS_IDENTITY_NAME.test(name)) throw new Error(`NATS identity name must match ${NATS_IDENTITY_NAME.source}; got "${name}"`);
    if ((SERVICE_IDENTITIES as readonly string[]).includes(name)) throw new Error(`"${name}" is a Hangar service's NATS identity; choose another name`);
  }
  const dup = named.find((n, i) => named.indexOf(n) !== i);
  if (dup) throw new Error(`NATS identity "${dup}" is given twice`);
  const identities: NatsIdentity[] = [
    ...SERVICE_IDENTITIES.map((name) => newIdentity(name, 'service')),
    ...options.publishers.map((name) => newIdentity(name, 'publisher')),
    ...options.feedReaders.map((name) => newIdentity(name, 'feed-reader')),
  ];
  return { config: natsServerConfig(options, identities), identities };

  function newIdentity(name: string, kind: NatsIdentity['kind']): NatsIdentity {
    const kept = existing.find((i) => i.name === name);
    if (kept && kept.kind !== kind) throw new Error(`NATS identity "${name}" is already a ${kept.kind}`);
    return kept ?? createIdentity(name, kind);
  }
}

function createIdentity(name: string, kind: NatsIdentity['kind']): NatsIdentity {
  const user = nkeys.createUser();
  return { name, kind, publicKey: user.getPublicKey(), seed: new TextDecoder().decode(user.getSeed()) };
}

/** The nats-server configuration for these identities (pure: the same identities give the same text). */
export function natsServerConfig(options: Omit<NatsAuthOptions, 'publishers' | 'feedReaders'>, identities: readonly NatsIdentity[]): string {
  const ns = options.namespace;
  const stream = eventsStreamName(ns);
  const cmd = `${ns}.cmd.>`;
  const of = (kind: NatsIdentity['kind']) => identities.filter((i) => i.kind === kind);

  const serviceUser = (i: NatsIdentity) => {
    const service = i.name as (typeof SERVICE_IDENTITIES)[number];
    const sends = Object.entries(SENDS[service]).flatMap(([to, commands]) =>
      commands!.map((c) => (c === '*' ? `${ns}.cmd.${to}.>` : commandSubject(ns, to as ServiceName, c))),
    );
    const serves = service === 'gateway' ? [] : [`${ns}.cmd.${service}.>`];
    return user(i, `service ${service}`, {
      publish: [...sends, eventsSubjectWildcard(ns), '$JS.API.>', `$JS.ACK.${stream}.>`],
      subscribe: [...serves, `${inboxPrefixOf(i.name)}.>`],
      allowResponses: true,
    });
  };
  const feedReader = (i: NatsIdentity) =>
    user(i, `feed reader ${i.name}: reads ${stream} through durable "${i.name}" (or ephemeral push consumers delivering to its inbox)`, {
      publish: [
        '$JS.API.INFO',
        `$JS.API.STREAM.INFO.${stream}`,
        `$JS.API.STREAM.MSG.GET.${stream}`,
        `$JS.API.CONSUMER.CREATE.${stream}`,
        `$JS.API.CONSUMER.CREATE.${stream}.${i.name}`,
        `$JS.API.CONSUMER.CREATE.${stream}.${i.name}.>`,
        `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${i.name}`,
        `$JS.API.CONSUMER.INFO.${stream}.${i.name}`,
        `$JS.API.CONSUMER.MSG.NEXT.${stream}.${i.name}`,
        `$JS.ACK.${stream}.${i.name}.>`,
        `$JS.FC.${stream}.>`,
      ],
      subscribe: [`${inboxPrefixOf(i.name)}.>`],
    });
  const publisher = (i: NatsIdentity) =>
    user(i, `publisher ${i.name}: sends commands as the API token bound to its key`, {
      publish: [cmd],
      denyPublish: NEVER_PUBLIC.map(([s, c]) => commandSubject(ns, s, c)),
      subscribe: [`${inboxPrefixOf(i.name)}.>`],
    });

  return `# Hangar's NATS server, written by \`hangar nats init\` for namespace "${ns}" (DESIGN §4 "Trust").
# Every client authenticates with an nkey; the seeds are the .nk files next to this file.
#   ${SERVICE_ACCOUNT}: Hangar's services, each allowed only its own subjects, and read-only feed readers.
#   ${PUBLIC_ACCOUNT}: outside command publishers. Their requests reach the services through an import that
#           stamps the sender (Nats-Request-Info); each is bound to an API token (hangar tokens create --nats-key).
# Check it with: nats-server -c <this file> -t

listen: ${JSON.stringify(`${options.host}:${options.port}`)}
max_payload: 1MB

jetstream {
  store_dir: ${JSON.stringify(options.storeDir)}
}

accounts {
  ${SERVICE_ACCOUNT} {
    jetstream: enabled
    users: [
${[...of('service').map(serviceUser), ...of('feed-reader').map(feedReader)].join('\n')}
    ]
    exports: [
      { service: ${JSON.stringify(cmd)} }
    ]
  }
  ${PUBLIC_ACCOUNT} {
    users: [
${of('publisher').map(publisher).join('\n')}
    ]
    imports: [
      { service: { account: ${SERVICE_ACCOUNT}, subject: ${JSON.stringify(cmd)} }, share: true }
    ]
  }
}
`;
}

function user(
  i: NatsIdentity,
  comment: string,
  p: { publish: readonly string[]; denyPublish?: readonly string[]; subscribe: readonly string[]; allowResponses?: boolean },
): string {
  const list = (xs: readonly string[]) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
  const publish = p.denyPublish?.length ? `{ allow: ${list(p.publish)}, deny: ${list(p.denyPublish)} }` : `{ allow: ${list(p.publish)} }`;
  return [
    `      # ${comment}`,
    `      {`,
    `        nkey: ${i.publicKey}`,
    `        permissions: {`,
    `          publish: ${publish}`,
    `          subscribe: { allow: ${list(p.subscribe)} }`,
    ...(p.allowResponses ? [`          allow_responses: true`] : []),
    `        }`,
    `      }`,
  ].join('\n');
}
