import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startFleet } from './fleet.bootstrap';
import { fleetConfig, type FleetConfig } from './fleet.config';

async function main(): Promise<void> {
  let config: FleetConfig;
  try {
    config = fleetConfig();
  } catch (error) {
    process.stderr.write(`fleet: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const { app, url, edgeUrl } = await startFleet(config, { logger: ['log', 'error', 'warn'] });
  app.enableShutdownHooks();
  new Logger('Fleet').log(`fleet (${config.runtime === 'podman' ? 'podman runtime: machines are containers' : `sim runtime, boot ${config.bootMs} ms`}) listening on ${url}${edgeUrl ? `; edge proxy on ${edgeUrl}` : ''}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`fleet: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
