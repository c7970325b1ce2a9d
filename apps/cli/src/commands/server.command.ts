import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { startServer } from '../server/server';

/** `hangar server` / `npm start`: the whole control plane and fleet in one process. */
export function registerServer(program: Command, ctx: CliContext): void {
  program
    .command('server')
    .description('Run every Hangar service and the local fleet in this process')
    .action(async () => {
      const server = await startServer();
      ctx.out(`Hangar API listening on ${server.url}`);
      ctx.out(`fleet (local machines host) on ${server.fleetUrl}: ${server.edgeUrl ? 'machines are podman containers' : 'simulated machines (HANGAR_FLEET_RUNTIME=sim)'}`);
      if (server.edgeUrl) ctx.out(`edge proxy on ${server.edgeUrl}: an app answers at http://<app>.localhost:${new URL(server.edgeUrl).port}/`);
      ctx.out(`NATS: ${server.nats}`);
      if (server.tokenFile) ctx.out(`development admin token in ${server.tokenFile} (the CLI reads it from there; or export HANGAR_API_TOKEN)`);
      const stop = () => {
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await new Promise<void>(() => undefined);
    });
}
