import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, nkeyAuthenticator, nkeys, type ConnectionOptions, type NatsConnection } from 'nats';
import type { NatsEndpoint } from '@hangar/contracts';
import { natsConnectionOptions, SERVICE_ACCOUNT, writeNatsAuth, type NatsIdentity } from '@hangar/messaging';
import { freePort } from './free-port';

export const NATS_SERVER_BIN = '/usr/sbin/nats-server';

export interface TestNatsServerOptions {
  namespace: string;
  /** Outside command publishers (account PUBLIC), default `['publisher']`. */
  publishers?: readonly string[];
  /** Read-only feed readers, default `['feed']`. */
  feedReaders?: readonly string[];
}

/**
 * A nats-server of a test's own, configured exactly as `hangar nats init` configures production's:
 * nkey identities per service, publishers and feed readers, and nothing for anyone else. One test-only
 * user is added: a wiretap that may subscribe to everything in Hangar's account, so leak tests can
 * read every message the services exchange (`connectWiretap`).
 */
export class TestNatsServer {
  private constructor(
    readonly url: string,
    /** `HANGAR_NATS_CREDENTIALS` for the services. */
    readonly credentialsDir: string,
    readonly identities: readonly NatsIdentity[],
    private readonly dir: string,
    private readonly child: ChildProcess,
    private readonly wiretapSeed: string,
  ) {}

  static async start(options: TestNatsServerOptions): Promise<TestNatsServer> {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-nats-'));
    const port = await freePort();
    const credentialsDir = join(dir, 'credentials');
    const { identities, configFile } = writeNatsAuth(credentialsDir, {
      namespace: options.namespace,
      host: '127.0.0.1',
      port,
      storeDir: join(dir, 'jetstream'),
      publishers: options.publishers ?? ['publisher'],
      feedReaders: options.feedReaders ?? ['feed'],
    });
    const wiretap = nkeys.createUser();
    const marker = `  ${SERVICE_ACCOUNT} {\n    jetstream: enabled\n    users: [\n`;
    const config = readFileSync(configFile, 'utf8');
    if (!config.includes(marker)) throw new Error(`cannot add the test wiretap to ${configFile}: its layout changed`);
    const tapped = config.replace(marker, `${marker}      # test only: reads everything in ${SERVICE_ACCOUNT}, publishes nothing\n      { nkey: ${wiretap.getPublicKey()}, permissions: { publish: { deny: [">"] }, subscribe: { allow: [">"] } } }\n`);
    const testConfig = join(dir, 'nats-test.conf');
    writeFileSync(testConfig, tapped);
    const child = spawn(NATS_SERVER_BIN, ['-c', testConfig], { stdio: 'ignore' });
    const server = new TestNatsServer(`nats://127.0.0.1:${port}`, credentialsDir, identities, dir, child, new TextDecoder().decode(wiretap.getSeed()));
    await waitForPort(port, child);
    return server;
  }

  /** What a service is configured with. */
  get endpoint(): NatsEndpoint {
    return { url: this.url, credentialsDir: this.credentialsDir, insecure: false };
  }

  /** An identity's nkey public key (what a token is bound to with `natsKey`). */
  publicKey(identity: string): string {
    const found = this.identities.find((i) => i.name === identity);
    if (!found) throw new Error(`no NATS identity "${identity}" in this test server`);
    return found.publicKey;
  }

  /** Connects as `identity` (its own nkey and inbox prefix), or with no credentials at all when `undefined`. */
  connect(identity: string | undefined, extra: ConnectionOptions = {}): Promise<NatsConnection> {
    const base = identity === undefined ? { servers: this.url } : natsConnectionOptions(this.endpoint, identity);
    return connect({ ...base, ...extra });
  }

  /** The test-only wiretap: subscribes to anything in Hangar's account (every command, reply and feed message), publishes nothing. */
  connectWiretap(): Promise<NatsConnection> {
    return connect({ servers: this.url, authenticator: nkeyAuthenticator(new TextEncoder().encode(this.wiretapSeed)) });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode} before listening on ${port}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nats-server did not listen on ${port} within 15 s`);
}
