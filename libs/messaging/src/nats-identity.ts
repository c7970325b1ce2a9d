import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nkeyAuthenticator, type ConnectionOptions, type NatsConnection } from 'nats';
import type { NatsEndpoint } from '@hangar/contracts';

/**
 * The inbox prefix of a NATS identity. `hangar nats init` lets each user subscribe to its own prefix
 * only, so no one else reads the replies it is sent (review M3).
 */
export function inboxPrefixOf(identity: string): string {
  return `_INBOX_${identity}`;
}

/** The file holding an identity's nkey seed in a credentials directory. */
export function seedFileOf(credentialsDir: string, identity: string): string {
  return join(credentialsDir, `${identity}.nk`);
}

const USER_SEED = /^SU[A-Z2-7]{56}$/;

/**
 * Connection options for `identity` (a service name, or a feed reader's or publisher's name):
 * the server, the identity's own inbox prefix and, with `HANGAR_NATS_CREDENTIALS`, its nkey
 * (`<dir>/<identity>.nk`). The seed never leaves this process: nkey authentication signs the
 * server's nonce.
 */
export function natsConnectionOptions(endpoint: NatsEndpoint, identity: string): ConnectionOptions {
  const base: ConnectionOptions = { servers: endpoint.url, inboxPrefix: inboxPrefixOf(identity) };
  if (!endpoint.credentialsDir) return base;
  const file = seedFileOf(endpoint.credentialsDir, identity);
  let seed: string;
  try {
    seed = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new Error(`HANGAR_NATS_CREDENTIALS: cannot read ${file}, the nkey seed of NATS identity '${identity}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (!USER_SEED.test(seed)) throw new Error(`HANGAR_NATS_CREDENTIALS: ${file} does not hold an nkey user seed (a line starting with SU); write it with hangar nats init`);
  return { ...base, authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)) };
}

/**
 * Refuses a NATS server that lets clients in without authentication (DESIGN §4 "Trust"): on it,
 * anyone could send commands as a Hangar service. `HANGAR_NATS_INSECURE=1` is the explicit opt-in
 * for throwaway setups and the integration tests on the shared test server.
 */
export function assertAuthenticatedServer(nc: NatsConnection, endpoint: NatsEndpoint): void {
  if (endpoint.insecure || nc.info?.auth_required) return;
  throw new Error(
    `NATS_URL: the NATS server at ${endpoint.url} lets clients in without authentication, so anyone on it could send Hangar commands. ` +
      'Run NATS with the configuration `hangar nats init` writes and set HANGAR_NATS_CREDENTIALS, or set HANGAR_NATS_INSECURE=1 for a throwaway setup.',
  );
}
