import type { Command } from 'commander';
import { NAMESPACE_PATTERN } from '@hangar/contracts';
import { writeNatsAuth } from '@hangar/messaging';
import type { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { collect } from '../cli-context';


/** `hangar nats init`: NATS with authentication for Hangar (DESIGN §4 "Trust"). */
export function registerNats(program: Command, ctx: CliContext): void {
  const nats = program.command('nats').description("Hangar's NATS identities and server configuration");
  nats
    .command('init')
    .description('Write a nats-server configuration with one nkey identity per service, publisher and feed reader (keeps the ones already written)')
    .option('--dir <dir>', 'where to write nats.conf and the <identity>.nk seeds (then HANGAR_NATS_CREDENTIALS=<dir>)', '.hangar/nats')
    .option('--namespace <ns>', 'HANGAR_NAMESPACE the services run with', 'hangar')
    .option('--host <host>', 'address nats-server listens on', '127.0.0.1')
    .option('--port <port>', 'port nats-server listens on', '4222')
    .option('--store-dir <dir>', "JetStream's store directory (default <dir>/jetstream)")
    .option('--publisher <name>', 'an outside command publisher (repeatable); bind it to a token with hangar tokens create --nats-key', collect, [])
    .option('--feed-reader <name>', 'a read-only event feed reader (repeatable); it reads through a durable consumer named after itself', collect, [])
    .option('--json', 'print JSON ({ configFile, identities: [{ name, kind, publicKey }] })')
    .action((opts: { dir: string; namespace: string; host: string; port: string; storeDir?: string; publisher: string[]; feedReader: string[]; json?: boolean }) => {
      if (!NAMESPACE_PATTERN.test(opts.namespace)) throw new CliError(`--namespace must match ${NAMESPACE_PATTERN.source}; got "${opts.namespace}"`, 2);
      const port = Number(opts.port);
      if (!/^\d+$/.test(opts.port) || port < 1 || port > 65535) throw new CliError(`--port must be an integer from 1 to 65535; got "${opts.port}"`, 2);
      let written: ReturnType<typeof writeNatsAuth>;
      try {
        written = writeNatsAuth(opts.dir, { namespace: opts.namespace, host: opts.host, port, ...(opts.storeDir ? { storeDir: opts.storeDir } : {}), publishers: opts.publisher, feedReaders: opts.feedReader });
      } catch (err) {
        throw new CliError((err as Error).message, 2);
      }
      const identities = written.identities.map(({ seed: _seed, ...rest }) => rest);
      if (opts.json) return ctx.json({ configFile: written.configFile, changed: written.changed, identities });
      ctx.out(`${written.changed ? 'Wrote' : 'Unchanged:'} ${written.configFile} (start it with: nats-server -c ${written.configFile}${written.changed ? '; a running server picks up changes with nats-server --signal reload' : ''})`);
      ctx.out(`Services connect with NATS_URL=nats://${opts.host === '0.0.0.0' ? '<host>' : opts.host}:${port} HANGAR_NATS_CREDENTIALS=${opts.dir}`);
      for (const i of identities) ctx.out(`  ${i.kind.padEnd(11)} ${i.name.padEnd(16)} ${i.publicKey}`);
      if (identities.some((i) => i.kind === 'publisher')) ctx.out('Bind each publisher to a token: hangar tokens create <name> --scope <scope> --nats-key <its key>');
    });
}
